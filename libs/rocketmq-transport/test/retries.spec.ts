import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern, RocketMQEventsMap, RocketMQNonRetriableError } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { deadLetters } from './support/dead-letters';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';
import { rawProducer } from './support/raw-client';

const MAX_ATTEMPTS = 3;
const topics = { failing: unique('retry-failing'), rejected: unique('retry-rejected'), garbled: unique('retry-garbled') };
const groups = { failing: unique('retry-failing-g'), rejected: unique('retry-rejected-g'), garbled: unique('retry-garbled-g') };
/** Per topic, the delivery attempts its handler saw. */
const attempts: Record<keyof typeof topics, number[]> = { failing: [], rejected: [], garbled: [] };

class FailingHandlers {
  failing(_: unknown, context: RocketMQContext): void {
    attempts.failing.push(context.getDeliveryAttempt());
    throw new Error('payment provider down');
  }

  rejected(_: unknown, context: RocketMQContext): void {
    attempts.rejected.push(context.getDeliveryAttempt());
    throw new RocketMQNonRetriableError('coupon expired');
  }

  garbled(_: unknown, context: RocketMQContext): void {
    attempts.garbled.push(context.getDeliveryAttempt());
  }
}
const options = { maxAttempts: MAX_ATTEMPTS, backoffMs: [100] };
decorate(FailingHandlers, Controller(), {
  failing: handler(RocketMQEventPattern(topics.failing, { group: groups.failing, ...options })),
  rejected: handler(RocketMQEventPattern(topics.rejected, { group: groups.rejected, ...options })),
  garbled: handler(RocketMQEventPattern(topics.garbled, { group: groups.garbled, ...options })),
});

const broker = useBroker({ topics: Object.values(topics).map((name) => ({ name })) });
const apps = useApps(broker);

async function startHandlers() {
  const { server } = await apps.server(moduleOf({ controllers: [FailingHandlers] }));
  const deadLettered: { topic: string; group: string; messageId: string; reason: string }[] = [];
  server.on(RocketMQEventsMap.DEAD_LETTER, (event) => deadLettered.push(event));
  return deadLettered;
}

async function dlqOf(group: string, messageId: string) {
  return waitFor(async () => (await deadLetters(broker.admin, group)).find((m) => m.deadLetterOf?.messageId === messageId), {
    message: `message ${messageId} in %DLQ%${group}`,
  });
}

describe('retries and dead letters', () => {
  it(`retries a failing handler with backoff, attempts 1..${MAX_ATTEMPTS}, then dead-letters the message`, async () => {
    const deadLettered = await startHandlers();
    const client = await apps.client();
    const { messageId } = await client.publishMessage(topics.failing, { orderId: 'o-1' });

    const letter = await dlqOf(groups.failing, messageId);
    expect(JSON.parse(letter.bodyText)).toEqual({ orderId: 'o-1' });
    expect(attempts.failing).toEqual([1, 2, 3]);
    await waitFor(() => deadLettered.length === 1, { message: 'the DEAD_LETTER event' });
    expect(deadLettered[0]).toMatchObject({ topic: topics.failing, group: groups.failing, messageId, reason: expect.stringContaining('failed 3 times') });
  });

  it('dead-letters after exactly one attempt when the handler throws RocketMQNonRetriableError', async () => {
    const deadLettered = await startHandlers();
    const client = await apps.client();
    const { messageId } = await client.publishMessage(topics.rejected, { coupon: 'XMAS' });

    await dlqOf(groups.rejected, messageId);
    await waitFor(() => deadLettered.length === 1, { message: 'the DEAD_LETTER event' });
    expect(deadLettered[0].reason).toContain('coupon expired');
    expect(attempts.rejected).toEqual([1]);
  });

  it('dead-letters a body that is not JSON without calling the handler', async () => {
    const deadLettered = await startHandlers();
    const producer = await rawProducer(broker.endpoint, [topics.garbled]);
    try {
      const { messageId } = await producer.send({ topic: topics.garbled, body: Buffer.from('{not json') });
      const letter = await dlqOf(groups.garbled, messageId);
      expect(letter.bodyText).toBe('{not json');
      await waitFor(() => deadLettered.length === 1, { message: 'the DEAD_LETTER event' });
      expect(deadLettered[0].reason).toContain('undecodable body');
      expect(attempts.garbled).toEqual([]);
    } finally {
      await producer.shutdown();
    }
  });
});
