import { Out, fieldSize, keySize, varintSize } from './protobuf-out';
import type { Status } from './status';
import { statusSize, textSize, writeStatus, writeText } from './status-out';

/*
 * SendMessageResponse encoded by hand: a request of 64 messages answers 64 entries, which the generic
 * path (fromObject, then an encoder that records an operation per field) costs several times as much
 * to write. Field numbers are those of apache/rocketmq/v2/service.proto and definition.proto;
 * send-response-encoder.spec.ts decodes the result with those files.
 */

export interface SendResponse {
  status: Status;
  entries?: { status: Status; messageId?: string; transactionId?: string; offset?: number; recallHandle?: string }[];
}

// Field keys: (field number << 3) | wire type (0 varint, 2 length-delimited).
const KEY = {
  status: (1 << 3) | 2,
  entry: (2 << 3) | 2,
  messageId: (2 << 3) | 2,
  transactionId: (3 << 3) | 2,
  offset: (4 << 3) | 0,
  recallHandle: (5 << 3) | 2,
} as const;

/** The bytes of a SendMessageResponse, ready for the stream. */
export function encodeSendMessageResponse(response: SendResponse): Buffer {
  const entries = response.entries ?? [];
  const responseStatusSize = statusSize(response.status);
  const entryStatusSizes = entries.map((entry) => statusSize(entry.status));
  const entrySizes = entries.map(
    (entry, i) =>
      fieldSize(KEY.status, entryStatusSizes[i]) +
      textSize(KEY.messageId, entry.messageId) +
      textSize(KEY.transactionId, entry.transactionId) +
      (entry.offset !== undefined ? keySize(KEY.offset) + varintSize(entry.offset) : 0) +
      textSize(KEY.recallHandle, entry.recallHandle),
  );
  const total = fieldSize(KEY.status, responseStatusSize) + entrySizes.reduce((sum, size) => sum + fieldSize(KEY.entry, size), 0);
  const out = new Out(Buffer.allocUnsafe(total));
  writeStatus(out, KEY.status, response.status, responseStatusSize);
  entries.forEach((entry, i) => {
    out.open(KEY.entry, entrySizes[i]);
    writeStatus(out, KEY.status, entry.status, entryStatusSizes[i]);
    writeText(out, KEY.messageId, entry.messageId);
    writeText(out, KEY.transactionId, entry.transactionId);
    if (entry.offset !== undefined) out.varint(KEY.offset).varint(entry.offset);
    writeText(out, KEY.recallHandle, entry.recallHandle);
  });
  if (out.at !== total) throw new Error(`SendMessageResponse encoding wrote ${out.at} of ${total} bytes`);
  return out.buffer;
}
