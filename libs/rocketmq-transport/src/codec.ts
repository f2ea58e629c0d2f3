import type { Deserializer, Serializer } from '@nestjs/microservices';

/**
 * The wire contract, for producers in any language: the body is the JSON of the payload
 * (`content-type: application/json`), or raw bytes when a Buffer is published
 * (`content-type: application/octet-stream`). Request/response adds `correlation-id`, `reply-to`
 * and `reply-topic`; trace context travels as W3C `traceparent`/`tracestate`.
 */
export const HEADERS = {
  contentType: 'content-type',
  correlationId: 'correlation-id',
  replyTo: 'reply-to',
  replyTopic: 'reply-topic',
  error: 'error',
} as const;

const JSON_TYPE = 'application/json';
const BYTES_TYPE = 'application/octet-stream';

/** An encoded body and the content type that names its encoding (the `content-type` user property). */
export interface RocketMQBody {
  body: Buffer;
  contentType: string;
}

/** Nest's serializer hook for bodies (client `serializer` option): a published payload → its bytes. */
export type RocketMQBodySerializer = Serializer<unknown, RocketMQBody>;

/** Nest's deserializer hook for bodies (server `deserializer` option): a delivered message → the handler's payload. */
export type RocketMQBodyDeserializer = Deserializer<{ body: Buffer; properties: ReadonlyMap<string, string> }, unknown>;

export function encodeBody(data: unknown): RocketMQBody {
  if (Buffer.isBuffer(data)) return { body: data, contentType: BYTES_TYPE };
  // RocketMQ refuses empty bodies; `undefined` travels as JSON null.
  return { body: Buffer.from(JSON.stringify(data ?? null)), contentType: JSON_TYPE };
}

/** The payload of a delivered message, or of a half message a transaction check-back asks about. */
export function decodeBody(message: { body: Buffer; properties: ReadonlyMap<string, string> }): unknown {
  if (message.properties.get(HEADERS.contentType) === BYTES_TYPE) return message.body;
  return JSON.parse(message.body.toString('utf8'));
}

/** The default encoding: JSON, or raw bytes for a Buffer. */
export const jsonBodySerializer: RocketMQBodySerializer = { serialize: encodeBody };
export const jsonBodyDeserializer: RocketMQBodyDeserializer = { deserialize: decodeBody };
