import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { cents, sku, timestamp, version } from './fields';

// Pricing context: one price change, published once, reaches every price-cache replica.

export const priceChanged = defineEvent({
  topic: 'price-changes',
  messageType: 'NORMAL',
  schema: z.object({ sku, priceCents: cents, version, changedAt: timestamp }),
});
export type PriceChanged = EventPayload<typeof priceChanged>;
