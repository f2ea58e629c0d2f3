import type { ReceiveRequestWire } from './activities/consumer-activity';
import { type DecodedSecondsNanos, present, protoType, secondsNanos } from './proto-types';
import type { Resource } from './wire';

/*
 * ReceiveMessageRequest and AckMessageRequest read from protobufjs's generated decoder, as
 * send-request-decoder.ts reads sends: every receive and every ack batch goes through here.
 * consumer-request-decoder.spec.ts compares the results with the generic deserializer's.
 */

interface DecodedResource {
  resourceNamespace: string;
  name: string;
}

interface DecodedReceiveRequest {
  group: DecodedResource | null;
  messageQueue: { topic: DecodedResource | null; id: number } | null;
  filterExpression: { type: number; expression: string } | null;
  batchSize: number;
  invisibleDuration?: DecodedSecondsNanos | null;
  autoRenew: boolean;
  longPollingTimeout?: DecodedSecondsNanos | null;
  attemptId?: string | null;
}

interface DecodedAckRequest {
  group: DecodedResource | null;
  topic: DecodedResource | null;
  entries: { messageId: string; receiptHandle: string }[];
}

export interface AckRequestWire {
  group?: Resource;
  topic?: Resource;
  entries: { messageId: string; receiptHandle: string }[];
}

const FILTER_TYPES = ['FILTER_TYPE_UNSPECIFIED', 'TAG', 'SQL'] as const;

const resource = (value: DecodedResource | null): Resource | undefined => (value ? { resourceNamespace: value.resourceNamespace, name: value.name } : undefined);

export function decodeReceiveMessageRequest(bytes: Buffer): ReceiveRequestWire {
  const request = protoType('ReceiveMessageRequest').decode(bytes) as unknown as DecodedReceiveRequest;
  const queue = request.messageQueue;
  const filter = request.filterExpression;
  return {
    group: resource(request.group),
    messageQueue: queue ? { topic: resource(queue.topic), id: queue.id } : undefined,
    filterExpression: filter ? { type: FILTER_TYPES[filter.type] ?? 'FILTER_TYPE_UNSPECIFIED', expression: filter.expression } : undefined,
    batchSize: request.batchSize,
    invisibleDuration: secondsNanos(request.invisibleDuration),
    autoRenew: request.autoRenew,
    longPollingTimeout: secondsNanos(request.longPollingTimeout),
    attemptId: present(request.attemptId),
  };
}

export function decodeAckMessageRequest(bytes: Buffer): AckRequestWire {
  const request = protoType('AckMessageRequest').decode(bytes) as unknown as DecodedAckRequest;
  return {
    group: resource(request.group),
    topic: resource(request.topic),
    entries: request.entries.map((entry) => ({ messageId: entry.messageId, receiptHandle: entry.receiptHandle })),
  };
}
