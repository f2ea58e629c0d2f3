import { parseEvent, userLifecycle, type UserLifecycleEvent } from '@rocketmq-shop/contracts';
import { enqueueOutbox, type OutboxEntry } from '@rocketmq-shop/rocketmq-transport/outbox';
import type { EntityManager } from 'typeorm';
import type { User } from './user.entity';

type UserState = Pick<User, 'id' | 'version' | 'email' | 'phone' | 'name'>;

/**
 * Records the user's new state as a user-lifecycle event in the caller's transaction: it is published
 * (by the outbox relay, FIFO per user) if and only if the change commits, with the user's version.
 */
export async function recordLifecycleEvent(manager: EntityManager, user: UserState, type: UserLifecycleEvent['type']): Promise<void> {
  const { topic, payload, options } = lifecycleOutboxEntry(user, type);
  await enqueueOutbox(manager, topic, payload, options);
}

/** The outbox entry of the user's new state, for statements that write their outbox rows themselves. */
export function lifecycleOutboxEntry(user: UserState, type: UserLifecycleEvent['type']): OutboxEntry {
  const event = parseEvent(userLifecycle, {
    userId: user.id,
    version: user.version,
    type,
    occurredAt: new Date().toISOString(),
    profile: type === 'DELETED' ? undefined : { email: user.email, phone: user.phone, name: user.name },
  });
  return {
    topic: userLifecycle.topic,
    payload: event,
    options: { tag: userLifecycle.tagOf?.(event), messageGroup: userLifecycle.messageGroupOf(event), keys: [event.userId] },
  };
}
