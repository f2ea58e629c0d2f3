import { describe, expect, it } from 'vitest';
import { loadGenericService } from './proto';
import { decodeSendMessageRequest } from './send-request-decoder';

const generic = loadGenericService().SendMessage;

const request = {
  messages: [
    {
      topic: { resourceNamespace: 'ns', name: 'orders' },
      userProperties: { traceparent: '00-1-2-01', empty: '' },
      systemProperties: {
        tag: 'created',
        keys: ['k1', 'k2'],
        messageId: 'ID-1',
        bodyEncoding: 'GZIP',
        messageType: 'FIFO',
        bornTimestamp: { seconds: 1_800_000_000, nanos: 5 },
        bornHost: 'host',
        deliveryTimestamp: { seconds: 1_800_000_060, nanos: 0 },
        messageGroup: 'user-1',
        traceContext: 'tc',
      },
      body: Buffer.from('{"a":1}'),
    },
    // Only what a minimal client sends: everything optional left out.
    { topic: { name: 'orders' }, systemProperties: { messageId: 'ID-2' }, body: Buffer.from('x') },
    // Nothing at all: validation must see the same gaps as with the generic decoder.
    {},
  ],
};

/** Absent, empty and default values mean the same to the codec; synthetic oneof names (_tag, …) are the generic decoder's. */
function meaningful(fields: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults = new Set(['', 'ENCODING_UNSPECIFIED', 'MESSAGE_TYPE_UNSPECIFIED']);
  return Object.fromEntries(
    Object.entries(fields).filter(([key, value]) => !key.startsWith('_') && value !== undefined && !defaults.has(value as string) && !(Array.isArray(value) && value.length === 0)),
  );
}

describe('decodeSendMessageRequest', () => {
  it('reads what the generic deserializer reads, field for field', () => {
    const bytes = generic.requestSerialize(request);
    const expected = generic.requestDeserialize(bytes) as { messages: Record<string, unknown>[] };
    const actual = decodeSendMessageRequest(bytes);
    expect(actual.messages).toHaveLength(3);
    actual.messages.forEach((message, i) => {
      const want = expected.messages[i] as { systemProperties?: Record<string, unknown>; userProperties?: unknown; body?: Buffer; topic?: unknown };
      expect(message.topic).toEqual(want.topic && { resourceNamespace: '', ...(want.topic as object) });
      expect(message.userProperties).toEqual(want.userProperties ?? {});
      expect(Buffer.from(message.body ?? [])).toEqual(Buffer.from(want.body ?? []));
      expect(meaningful(message.systemProperties as Record<string, unknown>)).toEqual(meaningful(want.systemProperties));
    });
  });
});
