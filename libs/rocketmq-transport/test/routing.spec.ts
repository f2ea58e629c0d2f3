import { Controller } from '@nestjs/common';
import { RocketMQContext, RocketMQEventPattern, RocketMQRecordBuilder } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { lastValueFrom } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';

interface Payment {
  id: number;
}

const topic = unique('routing-payments');
const groups = { tag: unique('routing-by-tag'), sql: unique('routing-by-sql') };
const seen = { tag: [] as { id: number; tag?: string }[], sql: [] as number[] };

class PaymentHandlers {
  paidOrRefunded(payment: Payment, context: RocketMQContext): void {
    seen.tag.push({ id: payment.id, tag: context.getTag() });
  }

  bigEuropean(payment: Payment): void {
    seen.sql.push(payment.id);
  }
}
decorate(PaymentHandlers, Controller(), {
  paidOrRefunded: handler(RocketMQEventPattern(topic, { group: groups.tag, tag: 'PAID||REFUNDED' })),
  bigEuropean: handler(RocketMQEventPattern(topic, { group: groups.sql, sql: "region = 'eu' AND amount > 100" })),
});

const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

const payments = [
  { id: 1, tag: 'PAID', region: 'eu', amount: 150 },
  { id: 2, tag: 'CREATED', region: 'eu', amount: 500 },
  { id: 3, tag: 'REFUNDED', region: 'us', amount: 150 },
  { id: 4, tag: 'PAID', region: 'eu', amount: 50 },
  { id: 5, tag: 'FAILED', region: 'us', amount: 900 },
];

describe('routing', () => {
  it('delivers to a handler only what its tag or SQL92 filter selects', async () => {
    await apps.server(moduleOf({ controllers: [PaymentHandlers] }));
    const client = await apps.client();
    for (const { id, tag, region, amount } of payments) {
      const record = new RocketMQRecordBuilder<Payment>({ id }).setTag(tag).setProperties({ region, amount: String(amount) }).build();
      await lastValueFrom(client.emit(topic, record));
    }

    // Filtered-out messages count as acknowledged, so both groups finish at `acked = all`.
    for (const group of Object.values(groups)) {
      await waitFor(async () => {
        const state = await broker.admin.groupTopic(group, topic);
        return state.acked === payments.length && state.backlog === 0;
      }, { message: `${group} to settle every payment` });
    }
    expect(seen.tag.sort((a, b) => a.id - b.id)).toEqual([
      { id: 1, tag: 'PAID' },
      { id: 3, tag: 'REFUNDED' },
      { id: 4, tag: 'PAID' },
    ]);
    expect(seen.sql.sort()).toEqual([1, 2]);
  });
});
