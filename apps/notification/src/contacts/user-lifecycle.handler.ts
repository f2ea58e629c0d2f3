import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { InjectDataSource } from '@nestjs/typeorm';
import { notificationContactsGroup, userLifecycle } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import type { DataSource } from 'typeorm';
import { FaultInjector } from '../faults/fault-injector';
import { parseMessage } from '@rocketmq-shop/service-defaults';
import { applyInOrder } from '../sequencing/apply-in-order';
import { Contact } from './contact.entity';

/** Applies CREATED, UPDATED and DELETED to the contacts table, one user's events at a time, in publish order. */
@Controller()
export class UserLifecycleHandler {
  private readonly logger = new Logger(UserLifecycleHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly faults: FaultInjector,
  ) {}

  @RocketMQEventPattern(notificationContactsGroup.topic.topic, { group: notificationContactsGroup.name, fifo: true })
  async onUserLifecycle(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    const event = parseMessage(userLifecycle, data);
    const verdict = await applyInOrder(this.dataSource, { stream: 'contacts', entity: Contact, where: { userId: event.userId }, version: event.version }, async (manager, current) => {
      await manager.save(Contact, {
        userId: event.userId,
        ...(event.profile ?? { email: current?.email ?? null, phone: current?.phone ?? null, name: current?.name ?? null }),
        version: event.version,
        deleted: event.type === 'DELETED',
      });
      // After the write, before the commit: a failure here must leave no trace, and the retry re-applies it.
      this.faults.maybeFail('contacts store');
    });
    if (verdict !== 'next') this.logger.warn(`user-lifecycle ${event.type} v${event.version} of ${event.userId} (message ${context.getMessageId()}) was ${verdict}`);
  }
}
