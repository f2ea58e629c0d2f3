import { Logger } from '@nestjs/common';
import { parseEvent, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import { RocketMQTestClient } from '@rocketmq-shop/rocketmq-transport/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { WarmUpService } from './warm-up.service';

describe('WarmUpService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('asks for a price snapshot once at bootstrap, in the name of this replica', async () => {
    const client = new RocketMQTestClient();
    await new WarmUpService(client, 'price-cache-2').onApplicationBootstrap();
    expect(client.published.map((message) => message.topic)).toEqual([priceSnapshotRequested.topic]);
    expect(parseEvent(priceSnapshotRequested, client.published[0].data).requestedBy).toBe('price-cache-2');
  });

  it('fails the start when the request cannot be published, rather than serving a cold cache as healthy', async () => {
    const client = new RocketMQTestClient();
    client.failWith(new Error('broker unreachable'));
    await expect(new WarmUpService(client, 'price-cache-2').onApplicationBootstrap()).rejects.toThrow('broker unreachable');
  });
});
