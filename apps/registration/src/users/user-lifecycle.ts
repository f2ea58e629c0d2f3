import { parseEvent, userLifecycle, type UserLifecycleEvent } from '@rocketmq-shop/contracts';
import { enqueueOutbox } from '@rocketmq-shop/rocketmq-transport/outbox';
import type { EntityManager } from 'typeorm';
import type { User } from './user.entity';

/**
 * Records the user's new state as a user-lifecycle event in the caller's transaction: it is published
 * (by the outbox relay, FIFO per user) if and only if the change commits, with the user's version.
 */
export async function recordLifecycleEvent(manager: EntityManager, user: User, type: UserLifecycleEvent['type']): Promise<void> {
  const event = parseEvent(userLifecycle, {
    userId: user.id,
    version: user.version,
    type,
    occurredAt: new Date().toISOString(),
    profile: type === 'DELETED' ? undefined : { email: user.email, phone: user.phone, name: user.name },
  });
  await enqueueOutbox(manager, userLifecycle.topic, event, {
    tag: userLifecycle.tagOf?.(event),
    messageGroup: userLifecycle.messageGroupOf(event),
    keys: [event.userId],
  });
}
