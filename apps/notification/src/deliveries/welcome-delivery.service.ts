import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { userRegistered } from '@rocketmq-shop/contracts';
import type { RocketMQContext } from '@rocketmq-shop/rocketmq-transport';
import { consumeOnce } from '@rocketmq-shop/rocketmq-transport/idempotency';
import type { DataSource } from 'typeorm';
import { FaultInjector, InjectedFailure } from '../faults/fault-injector';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import type { Channel } from '../stats/counter.entity';
import { incrementCounter } from '../stats/counters';
import { Delivery } from './delivery.entity';

/**
 * Sends the welcome notification of one user-registered message on one channel, once per consumer
 * group and message. The provider is called inside the transaction that records the delivery:
 *
 * - provider fails → nothing recorded → the transport retries with backoff (then DLQ);
 * - provider succeeds, commit succeeds, ack lost → the redelivery is a recorded duplicate: skipped;
 * - provider succeeds, then the process dies or the commit fails → nothing recorded → the retry calls
 *   the provider again. That window is the at-least-once part no consumer can close alone: a real
 *   provider needs the message id as its idempotency key (most email/SMS APIs accept one).
 */
@Injectable()
export class WelcomeDeliveryService {
  private readonly logger = new Logger(WelcomeDeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly faults: FaultInjector,
  ) {}

  async deliver(channel: Channel, data: unknown, context: RocketMQContext): Promise<void> {
    const user = parseMessage(userRegistered, data);
    const messageId = context.getMessageId();
    try {
      const outcome = await consumeOnce(this.dataSource, context.getConsumerGroup(), messageId, async (manager) => {
        await this.faults.callProvider(channel);
        await manager.insert(Delivery, { channel, messageId, userId: user.userId, attempts: context.getDeliveryAttempt() });
        await incrementCounter(manager, `${channel}.sent`);
      });
      // One line per delivery: the log proves it, and its trace id is the registration's.
      if (outcome.duplicate) this.logger.log(`skipped duplicate ${channel} delivery of message ${messageId} for user ${user.userId}`);
      else this.logger.log(`${channel} sent to user ${user.userId} (message ${messageId}, attempt ${context.getDeliveryAttempt()})`);
    } catch (error) {
      if (error instanceof InjectedFailure) await incrementCounter(this.dataSource.manager, `${channel}.failed`);
      throw error;
    }
  }
}
