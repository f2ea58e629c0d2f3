import { BrokerError, Code } from '../errors';

export interface ReceiptHandle {
  topic: string;
  queueId: number;
  offset: number;
  version: number;
}

/** Opaque to clients; names the exact delivery, so a handle from an earlier delivery is rejected. */
export function encodeReceiptHandle(handle: ReceiptHandle): string {
  return `${handle.queueId}.${handle.offset}.${handle.version}.${Buffer.from(handle.topic).toString('base64url')}`;
}

export function decodeReceiptHandle(text: string): ReceiptHandle {
  const parts = typeof text === 'string' ? text.split('.') : [];
  const [queueId, offset, version] = parts.slice(0, 3).map(Number);
  const topic = parts.length === 4 ? Buffer.from(parts[3], 'base64url').toString() : '';
  if (!topic || ![queueId, offset, version].every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, `receipt handle is malformed: ${String(text).slice(0, 80)}`);
  }
  return { topic, queueId, offset, version };
}
