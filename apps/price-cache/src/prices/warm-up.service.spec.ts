import { Logger } from '@nestjs/common';
import { parseEvent, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import type { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WarmUpService } from './warm-up.service';

describe('WarmUpService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('asks for a price snapshot once at bootstrap, in the name of this replica', async () => {
    const publishMessage = vi.fn(async (_topic: string, _request: unknown) => ({ messageId: 'msg-1' }));
    const warmUp = new WarmUpService({ publishMessage } as unknown as ClientRocketMQ, 'price-cache-2');
    await warmUp.onApplicationBootstrap();
    expect(publishMessage).toHaveBeenCalledOnce();
    const [topic, request] = publishMessage.mock.calls[0] ?? [];
    expect(topic).toBe(priceSnapshotRequested.topic);
    expect(parseEvent(priceSnapshotRequested, request).requestedBy).toBe('price-cache-2');
  });

  it('fails the start when the request cannot be published, rather than serving a cold cache as healthy', async () => {
    const publishMessage = vi.fn(async () => Promise.reject(new Error('broker unreachable')));
    const warmUp = new WarmUpService({ publishMessage } as unknown as ClientRocketMQ, 'price-cache-2');
    await expect(warmUp.onApplicationBootstrap()).rejects.toThrow('broker unreachable');
  });
});
