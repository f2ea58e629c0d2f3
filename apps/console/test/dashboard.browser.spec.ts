import { brokerGroups, brokerTopics } from '@rocketmq-shop/contracts';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot } from './support/browser';
import { useConsoleStack } from './support/console-stack';

const consoleStack = useConsoleStack();

describe('dashboard', () => {
  it("shows the shop's topics and consumer groups with their counts", async () => {
    const { browser, url } = consoleStack();
    const page = await newPage(browser, url);
    await page.goto('/');
    const topicRows = page.locator('[data-testid=topics] tbody tr');
    const groupRows = page.locator('[data-testid=groups] tbody tr');
    const topics = brokerTopics().map((topic) => topic.name);
    const groups = brokerGroups().map((group) => group.name);
    await topicRows.filter({ hasText: topics[0] }).first().waitFor();

    const shownTopics = await topicRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-topic')));
    const shownGroups = await groupRows.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-group')));
    expect(shownTopics).toEqual(expect.arrayContaining(topics));
    expect(shownGroups).toEqual(expect.arrayContaining(groups));
    const orderCreated = brokerTopics().find((topic) => topic.name === 'order-created')!;
    await expect(page.locator('[data-topic=order-created] td').allInnerTexts()).resolves.toEqual(['order-created', orderCreated.type, String(orderCreated.queues), '0', expect.any(String), expect.any(String)]);
    // Three live charts (uPlot canvases), fed every second.
    await page.locator('.chart canvas').nth(2).waitFor();
    await screenshot(page, 'dashboard');
    await page.close();
  });
});
