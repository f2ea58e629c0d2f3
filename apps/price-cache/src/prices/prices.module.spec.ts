import { type INestMicroservice, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseEvent, priceChanged, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import { RocketMQModule } from '@rocketmq-shop/rocketmq-transport';
import { RocketMQTestClient, RocketMQTestServer } from '@rocketmq-shop/rocketmq-transport/testing';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PriceCache } from './price-cache';
import { PricesModule } from './prices.module';

const INSTANCE = 'price-cache-2';
const change = { sku: 'SKU-1', priceCents: 1999, version: 2, changedAt: '2026-11-22T10:00:00.000Z' };

/** The replica's pricing module wired as in the service, on the transport's in-memory test double: no broker. */
describe('PricesModule on the transport test double', () => {
  let client: RocketMQTestClient;
  let server: RocketMQTestServer;
  let app: INestMicroservice;

  beforeAll(() => Logger.overrideLogger(false));

  beforeEach(async () => {
    client = new RocketMQTestClient();
    server = new RocketMQTestServer({ instanceId: INSTANCE });
    @Module({ imports: [RocketMQModule.forClient(client), PricesModule.forRoot(INSTANCE)] })
    class TestModule {}
    app = await NestFactory.createMicroservice(TestModule, { strategy: server, logger: false });
    await app.listen();
  });

  afterEach(() => app.close());

  it('asks for a price snapshot once at start, in the name of this replica', () => {
    const requests = client.publishedTo(priceSnapshotRequested.topic);
    expect(requests).toHaveLength(1);
    expect(parseEvent(priceSnapshotRequested, requests[0]).requestedBy).toBe(INSTANCE);
  });

  it('applies a delivered price change in its own broadcast group and acknowledges it; a redelivery is stale', async () => {
    const group = `price-cache-bcast-${INSTANCE}`;
    expect(await server.deliver(priceChanged.topic, change, { group })).toEqual({ outcome: 'acknowledged', response: 'applied' });
    expect(await server.deliver(priceChanged.topic, change, { group, deliveryAttempt: 2 })).toEqual({ outcome: 'acknowledged', response: 'stale' });
    expect(app.get(PriceCache).get('SKU-1')).toMatchObject({ priceCents: 1999, version: 2 });
  });

  it('dead-letters an invalid price change at once, naming what is wrong, and leaves the cache alone', async () => {
    const delivery = await server.deliver(priceChanged.topic, { ...change, priceCents: -1 });
    expect(delivery).toMatchObject({ outcome: 'dead-letter', reason: expect.stringMatching(/^not retriable: .*priceCents/) });
    expect(app.get(PriceCache).summary().entries).toBe(0);
  });
});
