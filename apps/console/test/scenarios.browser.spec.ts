import { waitFor } from '@rocketmq-shop/testing';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { newPage, screenshot } from './support/browser';
import { useConsoleStack } from './support/console-stack';

// The scenario panels against the real services (faults enabled, as the stack runs them): the
// flash sale moves while purchases drain, and the pause switch works end to end from the page.

const consoleStack = useConsoleStack([
  { app: 'order', env: { FLASH_SALE_QUEUE_BUDGET_MS: '60000' } },
  { app: 'inventory', env: { INVENTORY_PURCHASE_RATE: '10' } },
  { app: 'registration' },
  { app: 'notification', env: { NOTIFICATION_PROVIDER_LATENCY_MS: '5', NOTIFICATION_RETRY_BACKOFF_MS: '200' } },
  { app: 'price-cache', instance: 'price-cache-1' },
]);

/** The number on one of the flash-sale panel's cards. */
async function card(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-testid=card-${name}] .value`).innerText());
}

async function waitForCard(page: Page, name: string, accept: (value: number) => boolean, message: string): Promise<number> {
  let shown = NaN;
  // Wrapped: waitFor takes a falsy answer (a count of 0) for "not yet".
  const accepted = await waitFor(
    async () => {
      shown = await card(page, name);
      return accept(shown) && { value: shown };
    },
    { timeoutMs: 30_000, intervalMs: 100, message: () => `${message}; the card shows ${shown}` },
  );
  return accepted.value;
}

/**
 * The cards once they stop moving: a pause takes effect at inventory first, and order hears of the
 * last decisions a moment later, while the page samples every second.
 */
async function steadyCards(page: Page, names: string[], quietMs: number): Promise<number[]> {
  let last: string | undefined;
  let since = Date.now();
  const settled = await waitFor(
    async () => {
      const values = await Promise.all(names.map((name) => card(page, name)));
      const key = values.join(',');
      if (key !== last) [last, since] = [key, Date.now()];
      return Date.now() - since >= quietMs && { values };
    },
    { timeoutMs: 30_000, intervalMs: 200, message: () => `${names.join(' and ')} to hold still for ${quietMs} ms; last ${last}` },
  );
  return settled.values;
}

describe('scenario panels', () => {
  it('flash sale: sold and backlog move during a sale; pausing inventory from the page grows the backlog, resuming drains it', async () => {
    const { browser, url } = consoleStack();
    const page = await newPage(browser, url);
    await page.goto('/#/flash-sale');
    await page.locator('input[name=saleId]').fill('browser-sale');
    await page.locator('input[name=sku]').fill('TSHIRT-RED');
    const stockBefore = await waitForCard(page, 'stock', (stock) => stock === 500, 'the seeded stock of TSHIRT-RED');
    expect(await card(page, 'sold')).toBe(0);

    await page.getByTestId('post-purchases').click();
    await page.getByTestId('posted').filter({ hasText: '50 accepted, 0 refused' }).waitFor();
    await waitForCard(page, 'backlog', (backlog) => backlog > 0, 'a backlog while inventory drains at 10/s');
    await waitForCard(page, 'sold', (sold) => sold > 0, 'the first purchases sold');
    await page.locator('.chart canvas').nth(1).waitFor();
    await screenshot(page, 'flash-sale-during-sale');

    // The failure catalogue's switch, from the page.
    await page.getByTestId('pause-inventory').getByRole('button', { name: 'Pause inventory' }).click();
    await page.getByTestId('pause-inventory').getByText('paused', { exact: true }).waitFor();
    const [soldWhenPaused, backlogWhenPaused] = await steadyCards(page, ['sold', 'backlog'], 2_500);
    await page.getByTestId('post-purchases').click();
    await waitForCard(page, 'backlog', (backlog) => backlog === backlogWhenPaused + 50, `a backlog of ${backlogWhenPaused} + 50 while paused`);
    expect(await card(page, 'sold')).toBe(soldWhenPaused);
    await screenshot(page, 'flash-sale-paused');

    await page.getByTestId('pause-inventory').getByRole('button', { name: 'Resume inventory' }).click();
    await waitForCard(page, 'backlog', (backlog) => backlog === 0, 'the backlog drained after resuming');
    await waitForCard(page, 'sold', (sold) => sold === 100, 'all 100 purchases sold');
    expect(await card(page, 'stock')).toBe(stockBefore - 100);
    await screenshot(page, 'flash-sale-drained');
    await page.close();
  });

  it('registration: the timeline shows the registration, then email and SMS', async () => {
    const { browser, url } = consoleStack();
    const page = await newPage(browser, url);
    await page.goto('/#/registration');
    await page.getByTestId('email-faults').waitFor();
    await page.getByTestId('register').click();
    for (const step of ['registered', 'email', 'sms']) await page.locator(`[data-testid=timeline] tr[data-step=${step}] td.num`).first().waitFor();
    await expect(page.locator('[data-testid=timeline] tr[data-step=email] td').nth(2).innerText()).resolves.toMatch(/^\d+ ms$/);
    await screenshot(page, 'registration-timeline');
    await page.close();
  });

  it('price cache: each replica shows the latest version after a price change', async () => {
    const { browser, url } = consoleStack();
    const page = await newPage(browser, url);
    await page.goto('/#/price-cache');
    await page.locator('[data-testid=replica-versions] tr[data-sku=MUG-CLASSIC]').waitFor();
    await page.locator('select').selectOption('MUG-CLASSIC');
    await page.getByRole('button', { name: 'Change the price' }).click();
    const row = page.locator('[data-testid=replica-versions] tr[data-sku=MUG-CLASSIC]');
    await row.locator('td', { hasText: 'v2' }).nth(1).waitFor();
    await expect(row.locator('td.version-current').count()).resolves.toBe(1);
    await screenshot(page, 'price-cache-replicas');
    await page.close();
  });
});
