import { ORDER_STATUSES } from '@rocketmq-shop/contracts';
import { describe, expect, it } from 'vitest';
import { ORDER_STATES, type OrderCommand, type OrderState, canApply, lifecycleStatusOf } from './order-state';

describe('order transitions', () => {
  const legal: [OrderCommand, OrderState][] = [
    ['confirm', 'PENDING'],
    ['reject', 'PENDING'],
    ['pay', 'CONFIRMED'],
    ['cancel', 'PENDING'],
    ['cancel', 'CONFIRMED'],
  ];

  it('allows exactly the legal moves', () => {
    for (const command of ['confirm', 'reject', 'pay', 'cancel'] as const) {
      for (const state of ORDER_STATES) {
        const expected = legal.some(([c, s]) => c === command && s === state);
        expect(canApply(command, state), `${command} from ${state}`).toBe(expected);
      }
    }
  });

  it('never leaves a final state', () => {
    for (const state of ['REJECTED', 'PAID', 'CANCELLED'] as const) {
      for (const command of ['confirm', 'reject', 'pay', 'cancel'] as const) expect(canApply(command, state)).toBe(false);
    }
  });

  it('announces every state with a status the order-lifecycle contract knows', () => {
    expect(lifecycleStatusOf('PENDING')).toBe('CREATED');
    for (const state of ORDER_STATES) expect(ORDER_STATUSES).toContain(lifecycleStatusOf(state));
  });
});
