import { notificationEmailGroup, notificationSmsGroup, userRegistered } from '@rocketmq-shop/contracts';
import { AdminClient, Stack, waitFor, withFastTestSettings } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestJson } from './support/http-json';
import { newProfile, registerUser } from './support/shop-users';

// §4: every consumer is idempotent, proven by a real second delivery of the same message. The
// notification service sends and records the email and SMS, but its acks never reach the broker
// (the broker is killed while the slow providers work); the restarted broker redelivers both.
interface Delivery {
  channel: 'email' | 'sms';
  messageId: string;
  attempts: number;
}

let stack: Stack;
let admin: AdminClient;

beforeAll(async () => {
  stack = await Stack.start({ services: [{ app: 'registration' }, { app: 'notification' }], broker: withFastTestSettings({}) });
  admin = new AdminClient(stack.broker);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('welcome notifications are idempotent', () => {
  it('records one delivery per channel when the same user-registered message is delivered twice', async () => {
    const notification = stack.url('notification');
    // Slow providers keep both handlers busy long enough to take the broker away underneath them.
    expect((await requestJson('PUT', `${notification}/faults`, { latencyMs: 3000, failureRate: 0 })).status).toBe(200);
    const userId = await registerUser(stack.url('registration'), newProfile('idempotent'));
    for (const group of [notificationEmailGroup.name, notificationSmsGroup.name]) {
      await waitFor(async () => (await admin.groupTopic(group, userRegistered.topic)).inflight === 1, { timeoutMs: 20_000, message: `${group} handling the message` });
    }

    await stack.broker.kill();
    const deliveriesOf = async () => (await requestJson<Delivery[]>('GET', `${notification}/deliveries?userId=${userId}`)).body;
    // Sent and committed while the broker is down: the acks that follow cannot reach it.
    const first = await waitFor(async () => ((await deliveriesOf()).length === 2 ? deliveriesOf() : undefined), { timeoutMs: 20_000, message: 'both deliveries recorded' });
    await stack.broker.restart();

    const messageId = first[0].messageId;
    for (const channel of ['email', 'sms']) {
      await waitFor(() => stack.service('notification').output.includes(`skipped duplicate ${channel} delivery of message ${messageId}`), {
        timeoutMs: 90_000,
        message: `the redelivered ${channel} message to be recognised as a duplicate`,
      });
    }
    for (const group of [notificationEmailGroup.name, notificationSmsGroup.name]) {
      await waitFor(async () => (await admin.groupTopic(group, userRegistered.topic)).backlog === 0, { timeoutMs: 30_000, message: `${group} acked the redelivery` });
    }

    const after = await deliveriesOf();
    const stats = (await requestJson<{ email: { sent: number }; sms: { sent: number } }>('GET', `${notification}/stats`)).body;
    console.log(`message ${messageId} delivered twice to each group; delivery rows ${after.map((d) => `${d.channel}×1 (attempt ${d.attempts})`).join(', ')}; sent email ${stats.email.sent}, SMS ${stats.sms.sent}`);
    expect(after.map((delivery) => delivery.channel).sort()).toEqual(['email', 'sms']);
    expect(after.every((delivery) => delivery.messageId === messageId && delivery.attempts === 1)).toBe(true);
    expect([stats.email.sent, stats.sms.sent]).toEqual([1, 1]);
  }, 300_000);
});
