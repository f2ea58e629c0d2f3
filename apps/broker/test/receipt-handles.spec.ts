import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { receiveCount } from './support/messaging';
import { RawRpc } from './support/raw-rpc';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'handles');
const harness = useBroker(topology.toConfig());
const { clients } = harness;

/** The handle with one character of its MAC changed. */
function tampered(handle: string): string {
  return handle.slice(0, -1) + (handle.endsWith('A') ? 'B' : 'A');
}

describe('receipt handles are unforgeable and bound to the receiving group', () => {
  it('another group, a tampered or a made-up handle gets INVALID_RECEIPT_HANDLE; the receiver then acknowledges normally', async () => {
    const group = `${topic}-owner`;
    const producer = await clients.producer({ topics: [topic] });
    const { messageId } = await producer.send({ topic, body: Buffer.from('mine') });
    const consumer = await clients.simpleConsumer(group, { [topic]: '*' });
    const [message] = await receiveCount(consumer, 1, { ack: false, invisibleMs: 30_000 });
    const { receiptHandle } = message;
    // The other group holds the same message at the same delivery: only the MAC tells the two handles apart.
    const thiefGroup = `${topic}-thief`;
    const thief = await clients.simpleConsumer(thiefGroup, { [topic]: '*' });
    expect((await receiveCount(thief, 1, { ack: false, invisibleMs: 30_000 }))[0].messageId).toBe(messageId);

    const rpc = new RawRpc(harness.endpoint);
    try {
      const attempts = [
        ['another group', thiefGroup, receiptHandle],
        ['a tampered MAC', group, tampered(receiptHandle)],
        ['a made-up handle', group, `0.0.1.${'A'.repeat(22)}`],
        ['garbage', group, 'not a handle'],
      ];
      for (const [what, asGroup, handle] of attempts) {
        const ack = await rpc.unary<{ entries: { status: { code: string } }[] }>('AckMessage', {
          group: { name: asGroup },
          topic: { name: topic },
          entries: [{ messageId, receiptHandle: handle }],
        });
        expect(ack.entries[0].status.code, what).toBe('INVALID_RECEIPT_HANDLE');
        const change = await rpc.unary('ChangeInvisibleDuration', {
          group: { name: asGroup },
          topic: { name: topic },
          receiptHandle: handle,
          messageId,
          invisibleDuration: { seconds: 0, nanos: 0 },
        });
        expect(change.status.code, what).toBe('INVALID_RECEIPT_HANDLE');
        const forward = await rpc.unary('ForwardMessageToDeadLetterQueue', { group: { name: asGroup }, topic: { name: topic }, receiptHandle: handle, messageId });
        expect(forward.status.code, what).toBe('INVALID_RECEIPT_HANDLE');
      }
    } finally {
      rpc.close();
    }
    await consumer.ack(message);
    expect((await harness.admin.groupTopic(group, topic)).backlog).toBe(0);
  });
});
