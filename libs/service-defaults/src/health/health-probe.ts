import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * One dependency /health reports on (database, broker, ...). Implement it as an injectable class and
 * list it in HealthModule.forRoot({ probes }); terminus answers 503 when any probe is down or throws.
 */
export interface HealthProbe {
  check(): HealthIndicatorResult | Promise<HealthIndicatorResult>;
}

export const HEALTH_PROBES = Symbol('HEALTH_PROBES');
