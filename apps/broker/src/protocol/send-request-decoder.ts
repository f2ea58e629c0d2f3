import { type DecodedSecondsNanos, present, protoType, secondsNanos } from './proto-types';
import type { WireMessage, WireMessageType } from './wire';

/*
 * SendMessageRequest decoded with protobufjs's generated decoder and read field by field, instead of
 * the generic path's decode-then-toObject (which walks every field a second time to build plain
 * objects). Every sent message goes through here. send-request-decoder.spec.ts compares the result
 * with the generic deserializer's.
 */

interface DecodedMessage {
  topic: { resourceNamespace: string; name: string } | null;
  userProperties: Record<string, string>;
  systemProperties: {
    tag?: string | null;
    keys: string[];
    messageId: string;
    bodyEncoding: number;
    messageType: number;
    bornTimestamp: DecodedSecondsNanos | null;
    bornHost: string;
    deliveryTimestamp?: DecodedSecondsNanos | null;
    messageGroup?: string | null;
    traceContext?: string | null;
  } | null;
  body: Uint8Array;
}

const MESSAGE_TYPES: WireMessageType[] = ['MESSAGE_TYPE_UNSPECIFIED', 'NORMAL', 'FIFO', 'DELAY', 'TRANSACTION', 'LITE', 'PRIORITY'];
const ENCODINGS = ['ENCODING_UNSPECIFIED', 'IDENTITY', 'GZIP'] as const;

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
          bornTimestamp: secondsNanos(system.bornTimestamp),
          bornHost: system.bornHost,
          deliveryTimestamp: secondsNanos(system.deliveryTimestamp),
          messageGroup: present(system.messageGroup),
          traceContext: present(system.traceContext),
        }
      : undefined,
    body: Buffer.isBuffer(message.body) ? message.body : Buffer.from(message.body ?? []),
  };
}

/** The messages of a SendMessageRequest, in the shape the rest of the protocol layer reads (wire.ts). */
export function decodeSendMessageRequest(bytes: Buffer): { messages: WireMessage[] } {
  const request = protoType('SendMessageRequest').decode(bytes) as unknown as { messages: DecodedMessage[] };
  return { messages: request.messages.map(wireMessage) };
}
