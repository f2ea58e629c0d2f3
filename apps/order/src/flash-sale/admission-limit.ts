import { OverloadedError } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';

/**
 * At most this many admissions in flight: beyond it a request would only wait behind the others and
 * answer late, so it is refused at once with 503 + Retry-After (load shedding) and the client comes
 * back when the queue has cleared. `FLASH_SALE_MAX_IN_FLIGHT`, default 1000 (half a second of a
 * 2,000 req/s spike).
 */
export class AdmissionLimit {
  private inFlight = 0;
  shed = 0;

  constructor(readonly max: number) {}

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AdmissionLimit {
    return new AdmissionLimit(z.coerce.number().int().positive().parse(env.FLASH_SALE_MAX_IN_FLIGHT ?? 1000));
  }

  async run<T>(admission: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.max) {
      this.shed++;
      throw new OverloadedError(`${this.inFlight} purchase admissions in flight: try again shortly`);
    }
    this.inFlight++;
    try {
      return await admission();
    } finally {
      this.inFlight--;
    }
  }
}
