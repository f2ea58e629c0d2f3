import type { OrderStatus } from '@rocketmq-shop/contracts';

/** Where an order stands. PENDING waits for inventory's answer; the others are what users act on. */
export const ORDER_STATES = ['PENDING', 'CONFIRMED', 'REJECTED', 'PAID', 'CANCELLED'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

export type OrderCommand = 'confirm' | 'reject' | 'pay' | 'cancel';

/** Every legal move; anything else is a conflict (409), never a silent overwrite. */
export const ORDER_TRANSITIONS: Record<OrderCommand, { from: readonly OrderState[]; to: OrderState }> = {
  confirm: { from: ['PENDING'], to: 'CONFIRMED' },
  reject: { from: ['PENDING'], to: 'REJECTED' },
  pay: { from: ['CONFIRMED'], to: 'PAID' },
  cancel: { from: ['PENDING', 'CONFIRMED'], to: 'CANCELLED' },
};

export function canApply(command: OrderCommand, state: OrderState): boolean {
  return ORDER_TRANSITIONS[command].from.includes(state);
}

/** The order-lifecycle event announcing a state: a new order is announced as CREATED. */
export function lifecycleStatusOf(state: OrderState): OrderStatus {
  return state === 'PENDING' ? 'CREATED' : state;
}
