import { z } from 'zod';
import { defineEvent, type EventPayload } from './define-event';
import { cents, sku, text, timestamp, version } from './fields';

// Pricing context: one price change, published once, reaches every price-cache replica.

export const priceChanged = defineEvent({
  topic: 'price-changes',
  messageType: 'NORMAL',
  schema: z.object({ sku, priceCents: cents, version, changedAt: timestamp }),
});
export type PriceChanged = EventPayload<typeof priceChanged>;

/**
 * A replica starting with an empty memory asks the price owner to republish every current price as
 * `price-changes`. Replicas apply only newer versions, so the answer is harmless to those already warm,
 * and it works on brokers where a new group starts at the end of the queue (no history to replay).
 */
export const priceSnapshotRequested = defineEvent({
  topic: 'price-snapshot-requests',
  messageType: 'NORMAL',
  schema: z.object({
    /** The INSTANCE_ID of the asking replica; for logs and tracing, the answer goes to every replica. */
    requestedBy: text(1, 64),
    requestedAt: timestamp,
  }),
});
export type PriceSnapshotRequested = EventPayload<typeof priceSnapshotRequested>;
