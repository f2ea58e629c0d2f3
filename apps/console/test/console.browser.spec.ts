import { brokerGroups, brokerTopics } from '@rocketmq-shop/contracts';
import { waitFor } from '@rocketmq-shop/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot } from './support/browser';
import { useConsoleStack } from './support/console-stack';

// The console in a browser against a real stack (broker, trigger with its demo function, console):
// what a person running the demo sees and clicks. Tests share the stack and run in order.

const consoleStack = useConsoleStack();
const TOPIC = 'console-orders';

describe('the console in a browser', () => {
  it("shows the shop's topics and consumer groups with their counts on the dashboard", async () => {
    const page = await open('#/dashboard');
    const topicRows = page.locator('[data-testid=topics] tbody tr');
    const groupRows = page.locator('[data-testid=groups] tbody tr');
    const topics = brokerTopics().map((topic) => topic.name);
    await topicRows.filter({ hasText: topics[0] }).first().waitFor();

    expect(await topicRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-topic')))).toEqual(expect.arrayContaining(topics));
    expect(await groupRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-group')))).toEqual(expect.arrayContaining(brokerGroups().map((group) => group.name)));
    const orderCreated = brokerTopics().find((topic) => topic.name === 'order-created')!;
    expect(await page.locator('[data-topic=order-created] td').allInnerTexts()).toEqual(['order-created', orderCreated.type, String(orderCreated.queues), '0', expect.any(String), expect.any(String)]);
    // Four live charts (uPlot canvases), fed every second.
    await page.locator('.chart canvas').nth(3).waitFor();
    await screenshot(page, 'dashboard');
  });

  it('creates a topic and a trigger, sends a message from the form and finds it by id with its delivery trail', async () => {
    const page = await open('#/topics');
    const create = page.getByTestId('create-topic');
    await create.locator('[name=name]').fill(TOPIC);
    await create.locator('[name=queues]').fill('2');
    await create.getByRole('button', { name: 'Create' }).click();
    await page.getByTestId('topic-detail').getByText('2 queues').waitFor();
    expect(page.url()).toContain(`#/topics/${TOPIC}`);

    await addTrigger(page, { name: 'console-orders-fn', group: 'console-orders-fn', targetUrl: demoFunctionUrl() });

    await page.goto(`#/topics/${TOPIC}`);
    const form = page.getByTestId('send-message');
    await form.locator('[name=body]').fill('{"orderId":"ORD-CONSOLE-1","amount":42}');
    await form.locator('[name=tag]').fill('OrderCreated');
    await form.locator('[name=keys]').fill('ORD-CONSOLE-1');
    await form.getByRole('button', { name: 'Send' }).click();
    const sent = page.getByTestId('sent').locator('a');
    const messageId = await sent.innerText();
    expect(messageId).toMatch(/^[0-9A-F]{32}$/);
    await screenshot(page, 'topic-send-message');

    await sent.click();
    const trail = page.getByTestId('trail');
    await trail.locator('li[data-group=console-orders-fn][data-event=acked]').waitFor();
    expect(await trail.locator('li[data-group=console-orders-fn]').allInnerTexts()).toEqual([
      expect.stringContaining('console-orders-fn: delivery attempt 1'),
      expect.stringContaining('console-orders-fn: acknowledged'),
    ]);
    expect(await page.getByTestId('trace-id').innerText()).toMatch(/^[0-9a-f]{32}$/);
    expect(await page.locator('[data-testid=trail-groups] tr[data-group=console-orders-fn] td').allInnerTexts()).toEqual(['console-orders-fn', 'acked', '1']);
    expect(await functionReceived(messageId)).toBe(true);
    await screenshot(page, 'message-trail');

    // The trigger's consumer is a client of the broker; no transaction is pending in this stack.
    await page.goto('#/clients');
    await page.locator('[data-testid=clients] tr', { hasText: 'console-orders-fn' }).first().waitFor();
    await page.goto('#/transactions');
    await page.getByTestId('no-half-messages').waitFor();
  });

  it('shows a dead letter with its body and reason, and replays it once its trigger points at a working function', async () => {
    const page = await open('#/triggers');
    // Nothing listens on port 9: every call fails at once, and one attempt is all the trigger allows.
    await addTrigger(page, { name: 'console-failing', group: 'console-failing-fn', targetUrl: 'http://127.0.0.1:9/nothing-here', maxAttempts: '1' });
    const sent = await page.request.post(`api/topics/${TOPIC}/messages`, { data: { body: '{"orderId":"ORD-CONSOLE-DLQ"}', keys: ['ORD-CONSOLE-DLQ'] } });
    expect(sent.status()).toBe(201);
    const { messageId } = (await sent.json()) as { messageId: string };

    await page.goto('#/groups/console-failing-fn');
    const row = page.locator(`[data-testid=dead-letters] tr[data-message-id="${messageId}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    // The reason is the trigger's own error, carried to the DLQ by the transport (ADR 0023).
    expect([cells[1], cells[3]]).toEqual([TOPIC, '1']);
    expect(cells[2]).toContain('http://127.0.0.1:9/nothing-here unreachable');
    expect(cells[5]).toContain('"orderId": "ORD-CONSOLE-DLQ"');
    await screenshot(page, 'group-dead-letters');

    await page.goto('#/triggers');
    await page.locator('[data-testid=triggers] tr[data-trigger=console-failing]').getByRole('button', { name: 'Edit' }).click();
    const form = page.getByTestId('trigger-form');
    await form.locator('[name=targetUrl]').fill(demoFunctionUrl());
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid=triggers] tr[data-trigger=console-failing]').getByText(demoFunctionUrl()).waitFor();

    await page.goto('#/groups/console-failing-fn');
    await row.getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/Replayed 1 message\(s\)/).waitFor();
    await row.waitFor({ state: 'detached' });
    await waitFor(() => functionReceived(messageId), { timeoutMs: 30_000, message: 'the replayed message at the function' });

    await page.goto(`#/messages/${messageId}`);
    const trail = page.getByTestId('trail');
    await trail.locator('li[data-group=console-failing-fn][data-event=acked]').waitFor();
    expect(await trail.locator('li[data-group=console-failing-fn]').evaluateAll((items) => items.map((item) => item.getAttribute('data-event')))).toEqual([
      'delivered',
      'dead-lettered',
      'replayed',
      'delivered',
      'acked',
    ]);
    await screenshot(page, 'message-trail-after-replay');
  });
});

describe('the dashboard under traffic', () => {
  it('shows the rate into a topic while messages arrive', async () => {
    const page = await open('#/dashboard');
    const inPerSecond = page.locator(`[data-topic=${TOPIC}] td`).nth(4);
    await inPerSecond.waitFor();
    // One message after another, for as long as it takes the page to show a rate above zero.
    let sending = true;
    const sender = (async () => {
      while (sending) await page.request.post(`api/topics/${TOPIC}/messages`, { data: { body: '{"load":true}' } });
    })();
    try {
      await waitFor(async () => Number(await inPerSecond.innerText()) > 0, { timeoutMs: 20_000, message: `a rate into ${TOPIC} on the dashboard` });
    } finally {
      sending = false;
      await sender;
    }
    await screenshot(page, 'dashboard-under-traffic');
  });
});

async function open(hash: string): Promise<Page> {
  const { browser, url } = consoleStack();
  const page = await newPage(browser, `${url}/`);
  await page.goto(hash);
  return page;
}

function demoFunctionUrl(): string {
  return `${consoleStack().stack.url('trigger')}/function`;
}

async function addTrigger(page: Page, trigger: { name: string; group: string; targetUrl: string; maxAttempts?: string }): Promise<void> {
  await page.goto('#/triggers');
  const form = page.getByTestId('trigger-form');
  await form.locator('[name=name]').fill(trigger.name);
  await form.locator('[name=topic]').fill(TOPIC);
  await form.locator('[name=consumerGroup]').fill(trigger.group);
  await form.locator('[name=targetUrl]').fill(trigger.targetUrl);
  if (trigger.maxAttempts) await form.locator('[name=maxAttempts]').fill(trigger.maxAttempts);
  await form.getByRole('button', { name: 'Add' }).click();
  await page.locator(`[data-testid=triggers] tr[data-trigger=${trigger.name}]`).waitFor();
}

/** Whether the trigger's demo function logged this message (its GET /function/received). */
async function functionReceived(messageId: string): Promise<boolean> {
  const response = await fetch(`${consoleStack().stack.url('trigger')}/function/received`);
  const events = (await response.json()) as { msgId: string }[];
  return events.some((event) => event.msgId === messageId);
}
