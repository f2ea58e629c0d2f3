import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { parseEvent, priceSnapshotRequested } from '@rocketmq-shop/contracts';
import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { INSTANCE_ID } from './prices.controller';

/**
 * Fills an empty memory through messaging: asks inventory for a snapshot of every current price, which
 * comes back as price-changes through this replica's broadcast group. Neither a group replaying history
 * (a new group on the embedded broker) nor resuming after its last ack (a restart) can do that alone.
 */
@Injectable()
export class WarmUpService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WarmUpService.name);

  constructor(
    private readonly mq: ClientRocketMQ,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {}

  /**
   * bootstrapService starts the consumers before the HTTP listen that runs this hook, so this replica
   * is already polling its group when the answer, a round trip through inventory later, is published —
   * which matters where a new group starts at the end of the queue (ApsaraMQ, Apache RocketMQ). A failed
   * request fails the start: a replica that cannot warm up would answer 404 for prices it should know.
   */
  async onApplicationBootstrap(): Promise<void> {
    const request = parseEvent(priceSnapshotRequested, { requestedBy: this.instanceId, requestedAt: new Date().toISOString() });
    const receipt = await this.mq.publishMessage(priceSnapshotRequested.topic, request);
    this.logger.log({ msg: 'price snapshot requested', messageId: receipt.messageId });
  }
}
