import { describe, expect, it } from 'vitest';
import { decodeAckMessageRequest, decodeReceiveMessageRequest } from './consumer-request-decoder';
import { loadGenericService } from './proto';

const generic = loadGenericService();

/** Absent and default values mean the same to the activities; synthetic oneof names (_attemptId, …) are the generic decoder's. */
function meaningful(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(meaningful);
  if (value === null || typeof value !== 'object') return value;
  const defaults = new Set<unknown>([undefined, '', 0, false, 'FILTER_TYPE_UNSPECIFIED']);
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key, field]) => !key.startsWith('_') && !defaults.has(field) && !(Array.isArray(field) && field.length === 0))
      .map(([key, field]) => [key, meaningful(field)]),
  );
}

function roundTrip(method: 'ReceiveMessage' | 'AckMessage', request: object, decode: (bytes: Buffer) => unknown) {
  const bytes = generic[method].requestSerialize(request);
  return { actual: meaningful(decode(bytes)), expected: meaningful(generic[method].requestDeserialize(bytes)) };
}

describe('decodeReceiveMessageRequest', () => {
  it.each([
    [
      'every field',
      {
        group: { resourceNamespace: 'ns', name: 'g' },
        messageQueue: { topic: { resourceNamespace: 'ns', name: 't' }, id: 3 },
        filterExpression: { type: 'SQL', expression: 'a > 1' },
        batchSize: 32,
        invisibleDuration: { seconds: 15, nanos: 5 },
        autoRenew: true,
        longPollingTimeout: { seconds: 20, nanos: 0 },
        attemptId: 'attempt-1',
      },
    ],
    ['a tag filter without optional fields', { group: { name: 'g' }, messageQueue: { topic: { name: 't' } }, filterExpression: { type: 'TAG', expression: '*' }, batchSize: 1 }],
    ['nothing at all', {}],
  ])('reads what the generic deserializer reads: %s', (_, request) => {
    const { actual, expected } = roundTrip('ReceiveMessage', request, decodeReceiveMessageRequest);
    expect(actual).toEqual(expected);
  });
});

describe('decodeAckMessageRequest', () => {
  it.each([
    ['entries', { group: { resourceNamespace: 'ns', name: 'g' }, topic: { name: 't' }, entries: [{ messageId: 'm1', receiptHandle: '3.1.2.AAAA' }, { messageId: 'm2', receiptHandle: 'ü' }] }],
    ['nothing at all', {}],
  ])('reads what the generic deserializer reads: %s', (_, request) => {
    const { actual, expected } = roundTrip('AckMessage', request, decodeAckMessageRequest);
    expect(actual).toEqual(expected);
  });
});
