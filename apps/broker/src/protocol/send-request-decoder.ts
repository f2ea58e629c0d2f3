import { join } from 'node:path';
import { Root, type Type } from 'protobufjs';
import { PROTO_ROOT } from './proto';
import type { Timestamp, WireMessage, WireMessageType } from './wire';

/*
 * SendMessageRequest decoded with protobufjs's generated decoder and read field by field, instead of
 * the generic path's decode-then-toObject (which walks every field a second time to build plain
 * objects). Every sent message goes through here. send-request-decoder.spec.ts compares the result
 * with the generic deserializer's.
 */

interface Long {
  toNumber(): number;
}

interface DecodedTimestamp {
  seconds: number | Long;
  nanos: number;
}

interface DecodedMessage {
  topic: { resourceNamespace: string; name: string } | null;
  userProperties: Record<string, string>;
  systemProperties: {
    tag?: string | null;
    keys: string[];
    messageId: string;
    bodyEncoding: number;
    messageType: number;
    bornTimestamp: DecodedTimestamp | null;
    bornHost: string;
    deliveryTimestamp?: DecodedTimestamp | null;
    messageGroup?: string | null;
    traceContext?: string | null;
  } | null;
  body: Uint8Array;
}

const MESSAGE_TYPES: WireMessageType[] = ['MESSAGE_TYPE_UNSPECIFIED', 'NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'LITE', 'PRIORITY'];
const ENCODINGS = ['ENCODING_UNSPECIFIED', 'IDENTITY', 'GZIP'] as const;

let requestType: Type | undefined;

function sendMessageRequest(): Type {
  if (!requestType) {
    const root = new Root();
    root.resolvePath = (_origin, target) => (target.startsWith('google/protobuf/') ? target : join(PROTO_ROOT, target));
    root.loadSync('apache/rocketmq/v2/service.proto', { keepCase: false });
    requestType = root.lookupType('apache.rocketmq.v2.SendMessageRequest');
  }
  return requestType;
}

const present = <T>(value: T | null | undefined): T | undefined => (value === null || value === undefined ? undefined : value);

function timestamp(value: DecodedTimestamp | null | undefined): Timestamp | undefined {
  if (!value) return undefined;
  return { seconds: typeof value.seconds === 'number' ? value.seconds : value.seconds.toNumber(), nanos: value.nanos };
}

function wireMessage(message: DecodedMessage): WireMessage {
  const system = message.systemProperties;
  return {
    topic: message.topic ? { resourceNamespace: message.topic.resourceNamespace, name: message.topic.name } : undefined,
    userProperties: message.userProperties,
    systemProperties: system
      ? {
          tag: present(system.tag),
          keys: system.keys,
          messageId: system.messageId,
          bodyEncoding: ENCODINGS[system.bodyEncoding] ?? 'ENCODING_UNSPECIFIED',
          messageType: MESSAGE_TYPES[system.messageType] ?? 'MESSAGE_TYPE_UNSPECIFIED',
          bornTimestamp: timestamp(system.bornTimestamp),
          bornHost: system.bornHost,
          deliveryTimestamp: timestamp(system.deliveryTimestamp),
          messageGroup: present(system.messageGroup),
          traceContext: present(system.traceContext),
        }
      : undefined,
    body: Buffer.isBuffer(message.body) ? message.body : Buffer.from(message.body ?? []),
  };
}

/** The messages of a SendMessageRequest, in the shape the rest of the protocol layer reads (wire.ts). */
export function decodeSendMessageRequest(bytes: Buffer): { messages: WireMessage[] } {
  const request = sendMessageRequest().decode(bytes) as unknown as { messages: DecodedMessage[] };
  return { messages: request.messages.map(wireMessage) };
}
