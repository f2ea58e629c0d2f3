import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { entityId, text, timestamp, version } from './fields';

// Registration context: the registration service publishes, notification consumes.

const contact = {
  email: z.email(),
  phone: z.e164(),
  name: text(1, 200),
};

/** Sent as a transactional half message, committed only when the user row is committed. */
export const userRegistered = defineEvent({
  topic: 'user-registered',
  messageType: 'TRANSACTION',
  schema: z.object({ userId: entityId, ...contact, registeredAt: timestamp }),
});
export type UserRegistered = EventPayload<typeof userRegistered>;

export const USER_LIFECYCLE_TYPES = ['CREATED', 'UPDATED', 'DELETED'] as const;

/** Ordered per user: consumers see CREATED before UPDATED before DELETED for the same user. */
export const userLifecycle = defineEvent({
  topic: 'user-lifecycle',
  messageType: 'FIFO',
  tags: USER_LIFECYCLE_TYPES,
  tagOf: (event) => event.type,
  messageGroupOf: (event) => event.userId,
  schema: z
    .object({
      userId: entityId,
      version,
      type: z.enum(USER_LIFECYCLE_TYPES),
      occurredAt: timestamp,
      profile: z.object(contact).optional(),
    })
    // A consumer keeping contact details needs them on every event that creates or changes them.
    .refine((event) => event.type === 'DELETED' || event.profile !== undefined, {
      message: 'CREATED and UPDATED events carry the profile',
      path: ['profile'],
    }),
});
export type UserLifecycleEvent = EventPayload<typeof userLifecycle>;
