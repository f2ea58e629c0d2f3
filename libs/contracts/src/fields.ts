import { z } from 'zod';

// Field schemas shared by several contracts, so the same fact is validated the same way everywhere.

export const entityId = z.uuid();

/** ISO 8601 with a zone; `new Date().toISOString()` qualifies, and so do producers that send an offset. */
export const timestamp = z.iso.datetime({ offset: true });

export const sku = z.string().min(1).max(64);

export const cents = z.number().int().nonnegative();

/** Per-aggregate sequence number: consumers drop an event whose version is not newer than the last seen. */
export const version = z.number().int().min(1);

export const quantity = z.number().int().min(1);

export const reason = z.string().min(1).max(500);
