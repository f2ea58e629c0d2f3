export interface IntakeObservation {
  /** How long the latest purchase request waited in the broker before inventory took it. */
  queueDelayMs: number;
  /** How long ago inventory took it. */
  takenAgoMs: number;
  ratePerSecond: number;
}

/**
 * Inventory cannot see the broker's backlog, but it can infer it: a request that waited D ms behind
 * others drained at R/s had about D·R/1000 requests in front of it. When no request has been taken for
 * a while although the intake had room, nothing is waiting.
 */
export function estimateBacklog({ queueDelayMs, takenAgoMs, ratePerSecond }: IntakeObservation): number {
  const idleAfterMs = Math.max(1_000, 2_000 / ratePerSecond);
  if (takenAgoMs > idleAfterMs) return 0;
  return Math.round((Math.max(0, queueDelayMs) * ratePerSecond) / 1000);
}
