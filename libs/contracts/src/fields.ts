import { z } from 'zod';

// Field schemas shared by several contracts, so the same fact is validated the same way everywhere.

/** The largest value of a Postgres `int` column: every integer a service stores must fit one. */
export const INT4_MAX = 2_147_483_647;

/** Text Postgres can store: it refuses NUL characters in `text`/`varchar`, so a NUL is a bad request, not a server error. */
export function text(min: number, max: number) {
  return z
    .string()
    .min(min)
    .max(max)
    .refine((value) => !value.includes('\0'), { message: 'must not contain NUL characters' });
}

/** A non-negative count that fits an `int` column (stock, cents). */
export const storedCount = z.number().int().nonnegative().max(INT4_MAX);

export const entityId = z.uuid();

/** ISO 8601 with a zone; `new Date().toISOString()` qualifies, and so do producers that send an offset. */
export const timestamp = z.iso.datetime({ offset: true });

export const sku = text(1, 64);

export const saleId = text(1, 64);

export const cents = storedCount;

/** Per-aggregate sequence number: consumers drop an event whose version is not newer than the last seen. */
export const version = z.number().int().min(1).max(INT4_MAX);

export const quantity = z.number().int().min(1).max(INT4_MAX);

export const reason = text(1, 500);
