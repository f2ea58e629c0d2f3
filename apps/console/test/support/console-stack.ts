import { type ServiceSpec, Stack } from '@rocketmq-shop/testing';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';

export interface ConsoleFixture {
  stack: Stack;
  browser: Browser;
  /** The console's base URL. */
  url: string;
}

/**
 * One stack per spec file: Postgres, the broker with the shop's topics and groups, the services (by
 * default the trigger with its demo function) and the console pointed at them, plus a headless chromium.
 */
export function useConsoleStack(services: ServiceSpec[] = [{ app: 'trigger', env: { TRIGGER_DEMO_FUNCTION: 'true' } }]): () => ConsoleFixture {
  let fixture: ConsoleFixture | undefined;
  beforeAll(async () => {
    const stack = await Stack.start({ services, console: {} });
    try {
      fixture = { stack, browser: await launchChromium(), url: stack.url('console') };
    } catch (error) {
      await stack.stop();
      throw error;
    }
  });
  afterAll(async () => {
    await fixture?.browser.close();
    await fixture?.stack.stop();
  });
  return () => {
    if (!fixture) throw new Error('the console stack starts in beforeAll');
    return fixture;
  };
}
