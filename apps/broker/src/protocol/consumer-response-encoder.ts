import { Out, fieldSize, secondsNanosSize, writeSecondsNanos } from './protobuf-out';
import type { Status } from './status';
import type { Timestamp } from './wire';
import { statusSize, textSize, writeStatus, writeText } from './status-out';

/*
 * AckMessageResponse and the non-message ReceiveMessageResponses (status, delivery timestamp) encoded
 * by hand, as send-response-encoder.ts does for sends: an ack response echoes up to 256 entries, and
 * every receive writes a status and a timestamp. Field numbers are those of
 * apache/rocketmq/v2/service.proto; consumer-response-encoder.spec.ts decodes the results with those files.
 */

export interface AckResponse {
  status: Status;
  entries?: { messageId?: string; receiptHandle?: string; status: Status }[];
}

/** ReceiveMessageResponse's oneof content, except `message` (deliveries are encoded by delivery-encoder.ts). */
export type ReceiveStatusResponse = { status: Status } | { deliveryTimestamp: Timestamp };

const ACK = {
  status: (1 << 3) | 2,
  entry: (2 << 3) | 2,
  messageId: (1 << 3) | 2,
  receiptHandle: (2 << 3) | 2,
  entryStatus: (3 << 3) | 2,
} as const;

const RECEIVE = { status: (1 << 3) | 2, deliveryTimestamp: (3 << 3) | 2 } as const;

/** The bytes of an AckMessageResponse. */
export function encodeAckMessageResponse(response: AckResponse): Buffer {
  const entries = response.entries ?? [];
  const responseStatusSize = statusSize(response.status);
  const entryStatusSizes = entries.map((entry) => statusSize(entry.status));
  const entrySizes = entries.map(
    (entry, i) => textSize(ACK.messageId, entry.messageId) + textSize(ACK.receiptHandle, entry.receiptHandle) + fieldSize(ACK.entryStatus, entryStatusSizes[i]),
  );
  const total = fieldSize(ACK.status, responseStatusSize) + entrySizes.reduce((sum, size) => sum + fieldSize(ACK.entry, size), 0);
  const out = new Out(Buffer.allocUnsafe(total));
  writeStatus(out, ACK.status, response.status, responseStatusSize);
  entries.forEach((entry, i) => {
    out.open(ACK.entry, entrySizes[i]);
    writeText(out, ACK.messageId, entry.messageId);
    writeText(out, ACK.receiptHandle, entry.receiptHandle);
    writeStatus(out, ACK.entryStatus, entry.status, entryStatusSizes[i]);
  });
  if (out.at !== total) throw new Error(`AckMessageResponse encoding wrote ${out.at} of ${total} bytes`);
  return out.buffer;
}

/** The bytes of a ReceiveMessageResponse carrying a status or a delivery timestamp. */
export function encodeReceiveStatusResponse(response: ReceiveStatusResponse): Buffer {
  if ('status' in response) {
    const size = statusSize(response.status);
    const out = new Out(Buffer.allocUnsafe(fieldSize(RECEIVE.status, size)));
    writeStatus(out, RECEIVE.status, response.status, size);
    return out.buffer;
  }
  const { seconds = 0, nanos = 0 } = response.deliveryTimestamp;
  const out = new Out(Buffer.allocUnsafe(fieldSize(RECEIVE.deliveryTimestamp, secondsNanosSize(seconds, nanos))));
  writeSecondsNanos(out, RECEIVE.deliveryTimestamp, seconds, nanos);
  return out.buffer;
}
