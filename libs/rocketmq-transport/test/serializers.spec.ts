import { Controller } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type RocketMQBodyDeserializer, type RocketMQBodySerializer, type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { RocketMQTestServer } from '@rocketmq-shop/rocketmq-transport/testing';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

interface Price {
  sku: string;
  priceCents: number;
}

/** A CSV line instead of JSON, as a producer in another stack might send it. */
const csvSerializer: RocketMQBodySerializer = {
  serialize: (price) => ({ body: Buffer.from(`${(price as Price).sku},${(price as Price).priceCents}`), contentType: 'text/csv' }),
};
const csvDeserializer: RocketMQBodyDeserializer = {
  deserialize: ({ body, properties }) => {
    if (properties.get('content-type') !== 'text/csv') throw new Error(`not CSV: ${properties.get('content-type')}`);
    const [sku, cents] = body.toString().split(',');
    return { sku, priceCents: Number(cents) } satisfies Price;
  },
};

const topic = unique('csv-prices');
const received: { price: Price; wire: string; contentType: string | undefined }[] = [];

class Prices {
  take(price: Price, context: RocketMQContext): void {
    received.push({ price, wire: context.getMessage().body.toString(), contentType: context.getProperties().get('content-type') });
  }
}
decorate(Prices, Controller(), { take: handler(RocketMQEventPattern(topic, { group: unique('csv-prices-g') })) });

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

describe('body serializer and deserializer hooks', () => {
  it('publish with the client’s serializer and hand handlers what the server’s deserializer makes of the body', async () => {
    await apps.server(moduleOf({ controllers: [Prices] }), { deserializer: csvDeserializer });
    const client = await apps.client({ serializer: csvSerializer });
    await client.publishMessage(topic, { sku: 'SKU-1', priceCents: 1999 });
    await waitFor(() => received.length === 1, { message: 'the CSV price' });
    expect(received).toEqual([{ price: { sku: 'SKU-1', priceCents: 1999 }, wire: 'SKU-1,1999', contentType: 'text/csv' }]);
  });

  it('on the test server too: deliver takes a body encoded as the serializer would, and an undecodable one is dead-lettered', async () => {
    const server = new RocketMQTestServer({ deserializer: csvDeserializer });
    const app = await NestFactory.createMicroservice(moduleOf({ controllers: [Prices] }), { strategy: server, logger: false });
    await app.listen();
    try {
      received.length = 0;
      expect(await server.deliver(topic, undefined, { encoded: csvSerializer.serialize({ sku: 'SKU-2', priceCents: 5 }) })).toEqual({ outcome: 'acknowledged', response: undefined });
      expect(received.map((r) => r.price)).toEqual([{ sku: 'SKU-2', priceCents: 5 }]);
      expect(await server.deliver(topic, { sku: 'SKU-3', priceCents: 7 })).toMatchObject({ outcome: 'dead-letter', reason: expect.stringContaining('not retriable: RocketMQNonRetriableError: undecodable body: not CSV: application/json') });
    } finally {
      await app.close();
    }
  });
});
