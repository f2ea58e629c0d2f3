import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { ReceiveLoop } from '../../../src/consumer/receive-loop';
import type { RocketMQMessage } from '../../../src/grpc/messaging-codec';

const messageNumbered = (n: number) => ({ messageId: `m${n}` }) as RocketMQMessage;

/** A broker stand-in: each receive waits until the test hands it messages (a long poll). */
function fakeBroker() {
  const polls: ((messages: RocketMQMessage[]) => void)[] = [];
  const handled: string[] = [];
  const released: string[] = [];
  const finishers: (() => void)[] = [];
  const loop = new ReceiveLoop({
    receive: () => new Promise((resolve) => polls.push(resolve)),
    handle: (messages) =>
      messages.map((message) => {
        handled.push(message.messageId);
        return new Promise<void>((finish) => finishers.push(finish));
      }),
    release: async (message) => released.push(message.messageId),
    concurrency: 4,
    batchSize: 4,
    receivers: 1,
    logger: new Logger('receive-loop.spec'),
    name: 'topic as group',
  });
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  /** Answers the oldest long poll with `messages`. */
  const deliver = async (...messages: RocketMQMessage[]) => {
    polls.shift()!(messages);
    await settle();
  };
  const finishAll = async () => {
    for (const finish of finishers.splice(0)) finish();
    await settle();
  };
  return { loop, polls, handled, released, deliver, finishAll, settle };
}

describe('ReceiveLoop pause and resume', () => {
  it('waits for running handlers, hands back what a long poll brings while paused, and takes nothing until resumed', async () => {
    const broker = fakeBroker();
    broker.loop.start();
    await broker.settle();
    await broker.deliver(messageNumbered(1));

    let paused = false;
    const pausing = broker.loop.pause(5_000).then((stillRunning) => {
      paused = true;
      return stillRunning;
    });
    await broker.settle();
    expect(paused).toBe(false); // m1 is still being handled
    await broker.finishAll();
    expect(await pausing).toBe(0);
    expect(broker.loop.isPaused).toBe(true);

    // The long poll that was under way returns with a message: given back, not handled.
    await broker.deliver(messageNumbered(2));
    expect(broker.released).toEqual(['m2']);
    expect(broker.polls).toHaveLength(0);
    expect(broker.handled).toEqual(['m1']);

    broker.loop.resume();
    await broker.settle();
    expect(broker.polls).toHaveLength(1);
    await broker.deliver(messageNumbered(3));
    expect(broker.handled).toEqual(['m1', 'm3']);

    await broker.finishAll();
    const stopping = broker.loop.stop(1_000);
    await broker.deliver();
    expect(await stopping).toBe(0);
  });

  it('resolves pause() with the handlers still running when they outlast the timeout', async () => {
    const broker = fakeBroker();
    broker.loop.start();
    await broker.settle();
    await broker.deliver(messageNumbered(1), messageNumbered(2));
    expect(await broker.loop.pause(20)).toBe(2);
    await broker.finishAll();
    const stopping = broker.loop.stop(1_000);
    await broker.deliver();
    expect(await stopping).toBe(0);
  });

  it('stops while paused', async () => {
    const broker = fakeBroker();
    broker.loop.start();
    await broker.settle();
    await broker.loop.pause(1_000);
    const stopping = broker.loop.stop(1_000);
    await broker.deliver();
    expect(await stopping).toBe(0);
  });
});
