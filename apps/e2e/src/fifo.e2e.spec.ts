import { notificationContactsGroup, userLifecycle } from '@rocketmq-shop/contracts';
import { AdminClient, Stack, waitFor, withFastTestSettings } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupCounter } from './support/broker-metrics';
import { requestJson } from './support/http-json';
import { queryRows } from './support/postgres-query';
import { newProfile, type Profile, registerUser } from './support/shop-users';

// Ordered delivery (docs/scenarios/ordered-delivery.md): each user's CREATED → UPDATED… → DELETED
// must be applied in publish order, while the contacts store fails at random and messages are retried.
const USERS = Number(process.env.E2E_FIFO_USERS ?? 80);
const UPDATES_PER_USER = 4;

interface Expected {
  profile: Profile;
  version: number;
  deleted: boolean;
}

interface ContactRow extends Record<string, unknown> {
  user_id: string;
  email: string | null;
  phone: string | null;
  name: string | null;
  version: number;
  deleted: boolean;
}

let stack: Stack;
let admin: AdminClient;

beforeAll(async () => {
  stack = await Stack.start({
    services: [
      { app: 'registration' },
      { app: 'notification', env: { NOTIFICATION_FAILURE_RATE: '0.25', NOTIFICATION_PROVIDER_LATENCY_MS: '5', NOTIFICATION_RETRY_BACKOFF_MS: '100' } },
    ],
    broker: withFastTestSettings({}),
  });
  admin = new AdminClient(stack.broker);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

/** One user's history, one request after the other, so the registration's versions follow this order. */
async function liveOneLife(index: number): Promise<[string, Expected]> {
  const registration = stack.url('registration');
  let profile = newProfile(`fifo-${index}`);
  const userId = await registerUser(registration, profile);
  let version = 1;
  for (let update = 1; update <= UPDATES_PER_USER; update++) {
    profile = { ...profile, name: `User ${index} v${update + 1}`, phone: `+4917${String(index).padStart(4, '0')}${String(update).padStart(4, '0')}` };
    const answer = await requestJson<{ version: number }>('PUT', `${registration}/users/${userId}`, { name: profile.name, phone: profile.phone });
    expect(answer.status).toBe(200);
    version = answer.body.version;
  }
  const deleted = index % 2 === 0;
  if (deleted) {
    expect((await requestJson('DELETE', `${registration}/users/${userId}`)).status).toBe(204);
    version++;
  }
  return [userId, { profile, version, deleted }];
}

describe('user lifecycle in FIFO order per user', () => {
  it('applies every user’s events in publish order despite failures and retries', async () => {
    const expected = new Map(await Promise.all(Array.from({ length: USERS }, (_, index) => liveOneLife(index))));
    const events = [...expected.values()].reduce((sum, user) => sum + user.version, 0);

    const notification = stack.url('notification');
    const stats = await waitFor(
      async () => {
        const current = (await requestJson<{ contacts: { applied: number; outOfOrder: number } }>('GET', `${notification}/stats`)).body;
        return current.contacts.applied >= events && current;
      },
      { timeoutMs: 180_000, message: `${events} lifecycle events applied` },
    );
    await waitFor(async () => (await admin.groupTopic(notificationContactsGroup.name, userLifecycle.topic)).backlog === 0, { timeoutMs: 60_000 });

    const contacts = await queryRows<ContactRow>(stack.database.url, 'SELECT user_id, email, phone, name, version, deleted FROM notification.contacts');
    const wrong = [...expected].filter(([userId, want]) => {
      const got = contacts.find((row) => row.user_id === userId);
      return !got || got.version !== want.version || got.deleted !== want.deleted || got.name !== want.profile.name || got.phone !== want.profile.phone || got.email !== want.profile.email;
    });
    // Every failed attempt is delivered again, so deliveries beyond the events prove the retries happened.
    const deliveries = await groupCounter(admin, 'rocketmq_messages_out_total', userLifecycle.topic, notificationContactsGroup.name);

    console.log(
      `users ${USERS}, lifecycle events published ${events}, applied ${stats.contacts.applied}, out of order ${stats.contacts.outOfOrder}, ` +
        `users with a wrong final state ${wrong.length}, deliveries to ${notificationContactsGroup.name} ${deliveries} (retries ${deliveries - events})`,
    );
    expect(stats.contacts.outOfOrder).toBe(0);
    expect(stats.contacts.applied).toBe(events);
    expect(wrong).toEqual([]);
    expect(deliveries).toBeGreaterThan(events);
  }, 600_000);
});
