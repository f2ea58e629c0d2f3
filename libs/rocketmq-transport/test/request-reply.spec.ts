import { Controller } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { RocketMQMessagePattern } from '@rocketmq-shop/rocketmq-transport';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const topics = { quote: unique('rr-quote'), reserve: unique('rr-reserve'), unanswered: unique('rr-unanswered'), replies: unique('rr-replies') };

class Inventory {
  quote(request: { sku: string; quantity: number }): { sku: string; total: number } {
    return { sku: request.sku, total: request.quantity * 2.5 };
  }

  reserve(request: { sku: string }): never {
    throw new RpcException(`${request.sku} is out of stock`);
  }
}
decorate(Inventory, Controller(), {
  quote: handler(RocketMQMessagePattern(topics.quote, { group: unique('rr-quote-g') })),
  reserve: handler(RocketMQMessagePattern(topics.reserve, { group: unique('rr-reserve-g') })),
});

const broker = useBroker({ topics: Object.values(topics).map((name) => ({ name })) });
const apps = useApps(broker);

/** What an observable errored with: Nest hands the transport's `err` to the subscriber as it is. */
async function failureOf(result: Promise<unknown>): Promise<string> {
  const error: unknown = await result.then(
    () => expect.fail('the request should have failed'),
    (e: unknown) => e,
  );
  return error instanceof Error ? error.message : String(error);
}

describe('request/reply', () => {
  it("returns the handler's result to send()", async () => {
    await apps.server(moduleOf({ controllers: [Inventory] }));
    const client = await apps.client({ replyTopic: topics.replies, instanceId: 'shop-api-1' });
    const results = await Promise.all([1, 2, 3].map((quantity) => lastValueFrom(client.send(topics.quote, { sku: 'tea', quantity }))));
    expect(results).toEqual([
      { sku: 'tea', total: 2.5 },
      { sku: 'tea', total: 5 },
      { sku: 'tea', total: 7.5 },
    ]);
  });

  it("errors the observable with the handler's error message", async () => {
    await apps.server(moduleOf({ controllers: [Inventory] }));
    const client = await apps.client({ replyTopic: topics.replies, instanceId: 'shop-api-2' });
    expect(await failureOf(lastValueFrom(client.send(topics.reserve, { sku: 'tea' })))).toBe('tea is out of stock');
  });

  it('refuses send() without a reply topic', async () => {
    const client = await apps.client();
    expect(await failureOf(lastValueFrom(client.send(topics.quote, { sku: 'tea', quantity: 1 })))).toContain('needs the replyTopic option');
  });

  it('times out when nobody answers', async () => {
    const client = await apps.client({ replyTopic: topics.replies, instanceId: 'shop-api-3', replyTimeoutMs: 1500 });
    expect(await failureOf(lastValueFrom(client.send(topics.unanswered, {})))).toMatch(new RegExp(`no reply to ${topics.unanswered} request \\S+ within 1500 ms`));
  });
});
