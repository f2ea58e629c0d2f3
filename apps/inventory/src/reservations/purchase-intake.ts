/**
 * How fast inventory takes purchase requests off the broker. Peak shaving: however hard the spike,
 * at most `ratePerSecond` reservations start per second and `concurrency` run at once; the rest waits
 * in the broker as backlog, not in this process or in Postgres.
 */
export interface PurchaseIntake {
  ratePerSecond: number;
  concurrency: number;
}

export const DEFAULT_PURCHASE_INTAKE: PurchaseIntake = { ratePerSecond: 50, concurrency: 4 };

/** `INVENTORY_PURCHASE_RATE` (per second, may be fractional) and `INVENTORY_PURCHASE_CONCURRENCY`. */
export function purchaseIntakeFromEnv(env: NodeJS.ProcessEnv = process.env): PurchaseIntake {
  return {
    ratePerSecond: positive(env, 'INVENTORY_PURCHASE_RATE', DEFAULT_PURCHASE_INTAKE.ratePerSecond, false),
    concurrency: positive(env, 'INVENTORY_PURCHASE_CONCURRENCY', DEFAULT_PURCHASE_INTAKE.concurrency, true),
  };
}

/** `INVENTORY_SLOWDOWN_MS`: extra time per purchase handled, to show a struggling inventory in the demo. */
export function slowdownFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.INVENTORY_SLOWDOWN_MS;
  if (raw === undefined || raw === '') return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`INVENTORY_SLOWDOWN_MS must be a non-negative integer, got ${raw}`);
  return value;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number, integer: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${raw}`);
  }
  return value;
}
