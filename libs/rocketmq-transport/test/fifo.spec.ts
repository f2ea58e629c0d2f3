import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { forEachLimited } from './support/concurrency';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

const MESSAGE_GROUPS = Number(process.env.FIFO_GROUPS ?? 200);
const EVENTS_PER_GROUP = 5;
const FAILURE_RATE = 0.15;

interface AccountEvent {
  account: string;
  seq: number;
}

const topic = unique('fifo-accounts');
const group = unique('fifo-ledger');
const handled = new Map<string, number[]>();
let violations = 0;
let injectedFailures = 0;

class Ledger {
  apply(event: AccountEvent, context: RocketMQContext): void {
    if (Math.random() < FAILURE_RATE) {
      injectedFailures++;
      throw new Error(`injected failure of ${event.account}#${event.seq} (attempt ${context.getDeliveryAttempt()})`);
    }
    const sequence = handled.get(event.account) ?? [];
    // In order means: the next one, or the last one again (a redelivery after a lost ack).
    const last = sequence.at(-1) ?? 0;
    if (event.seq !== last + 1 && event.seq !== last) violations++;
    handled.set(event.account, [...sequence, event.seq]);
  }
}
decorate(Ledger, Controller(), { apply: handler(RocketMQEventPattern(topic, { group, fifo: true, backoffMs: [200], concurrency: 16 })) });

const broker = useBroker({ topics: [{ name: topic, type: 'FIFO' }], groups: [{ name: group, fifo: true }] });
const apps = useApps(broker);

describe('FIFO', () => {
  it(`handles ${MESSAGE_GROUPS} message groups × ${EVENTS_PER_GROUP} events in publish order despite injected failures`, async () => {
    await apps.server(moduleOf({ controllers: [Ledger] }));
    const client = await apps.client();
    const accounts = Array.from({ length: MESSAGE_GROUPS }, (_, i) => `acct-${i}`);
    await forEachLimited(accounts, 50, async (account) => {
      for (let seq = 1; seq <= EVENTS_PER_GROUP; seq++) await client.publishMessage(topic, { account, seq } satisfies AccountEvent, { messageGroup: account });
    });

    await waitFor(() => accounts.every((account) => handled.get(account)?.at(-1) === EVENTS_PER_GROUP), {
      timeoutMs: 50_000,
      message: 'the last event of every message group',
    });
    expect(violations).toBe(0);
    expect(injectedFailures).toBeGreaterThan(0);
    const expected = Array.from({ length: EVENTS_PER_GROUP }, (_, i) => i + 1);
    for (const account of accounts) expect([...new Set(handled.get(account))]).toEqual(expected);
  });
});
