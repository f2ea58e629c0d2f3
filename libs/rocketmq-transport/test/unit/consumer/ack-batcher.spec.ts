import { describe, expect, it } from 'vitest';
import { AckBatcher } from '../../../src/consumer/ack-batcher';
import type { DataPlane } from '../../../src/grpc/data-plane';
import type { AckResult, RocketMQMessage } from '../../../src/grpc/messaging-codec';

const OK = { code: 20000, message: 'OK' };
const STALE = { code: 40012, message: 'invalid receipt handle' };
const messageNumbered = (n: number, endpoint = 'broker-a:8081') => ({ messageId: `m${n}`, receiptHandle: `h${n}`, endpoint }) as RocketMQMessage;

/** A data plane whose AckMessage calls complete when the test says so. */
function fakeDataPlane() {
  const calls: { endpoint: string; ids: string[]; answer(entries: AckResult[]): void; fail(error: Error): void }[] = [];
  const dataPlane = {
    ack: (endpoint: string, _group: string, _topic: string, entries: readonly { messageId: string }[]) =>
      new Promise((resolve, reject) =>
        calls.push({ endpoint, ids: entries.map((e) => e.messageId), answer: (results) => resolve({ status: OK, entries: results }), fail: reject }),
      ),
  } as unknown as DataPlane;
  return { dataPlane, calls };
}

const settled = <T>(promise: Promise<T>) => promise.then(() => 'acked', (error: Error) => error.message);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AckBatcher', () => {
  it('with nothing in flight, sends an ack at the end of the tick', async () => {
    const { dataPlane, calls } = fakeDataPlane();
    const acks = new AckBatcher(dataPlane, 'g', 't');
    void acks.ack(messageNumbered(1));
    expect(calls).toHaveLength(0);
    await tick();
    expect(calls.map((c) => c.ids)).toEqual([['m1']]);
  });

  it('gathers the acks of a round trip into the next request; each caller gets its own entry', async () => {
    const { dataPlane, calls } = fakeDataPlane();
    const acks = new AckBatcher(dataPlane, 'g', 't');
    const first = settled(acks.ack(messageNumbered(1)));
    await tick();
    const later = [2, 3, 4].map((n) => settled(acks.ack(messageNumbered(n))));
    await tick();
    expect(calls).toHaveLength(1);
    calls[0].answer([{ messageId: 'm1', status: OK }]);
    expect(await first).toBe('acked');
    await tick();
    expect(calls[1].ids).toEqual(['m2', 'm3', 'm4']);
    calls[1].answer([
      { messageId: 'm2', status: OK },
      { messageId: 'm3', status: STALE },
      { messageId: 'm4', status: OK },
    ]);
    expect(await Promise.all(later)).toEqual(['acked', expect.stringContaining('invalid receipt handle'), 'acked']);
  });

  it('a request that fails fails the acks it carried, not later ones', async () => {
    const { dataPlane, calls } = fakeDataPlane();
    const acks = new AckBatcher(dataPlane, 'g', 't');
    const lost = settled(acks.ack(messageNumbered(1)));
    await tick();
    const next = settled(acks.ack(messageNumbered(2)));
    calls[0].fail(new Error('broker gone'));
    expect(await lost).toBe('broker gone');
    await tick();
    calls[1].answer([{ messageId: 'm2', status: OK }]);
    expect(await next).toBe('acked');
  });

  it('batches per endpoint', async () => {
    const { dataPlane, calls } = fakeDataPlane();
    const acks = new AckBatcher(dataPlane, 'g', 't');
    for (const message of [messageNumbered(1, 'a:1'), messageNumbered(2, 'b:1'), messageNumbered(3, 'a:1')]) void acks.ack(message);
    await tick();
    calls[0].answer([]);
    await tick();
    expect(calls.map((c) => [c.endpoint, c.ids])).toEqual([
      ['a:1', ['m1', 'm3']],
      ['b:1', ['m2']],
    ]);
  });

  it('close() sends the acks still gathering and resolves once they are answered', async () => {
    const { dataPlane, calls } = fakeDataPlane();
    const acks = new AckBatcher(dataPlane, 'g', 't');
    void acks.ack(messageNumbered(1));
    await tick();
    const gathering = settled(acks.ack(messageNumbered(2)));
    let closed = false;
    const closing = acks.close().then(() => (closed = true));
    calls[0].answer([{ messageId: 'm1', status: OK }]);
    for (let i = 0; i < 5 && calls.length < 2; i++) await tick();
    expect(calls[1].ids).toEqual(['m2']);
    expect(closed).toBe(false);
    calls[1].answer([{ messageId: 'm2', status: OK }]);
    await closing;
    expect(await gathering).toBe('acked');
  });
});
