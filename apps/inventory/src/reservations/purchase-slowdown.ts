import { Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { slowdownFromEnv } from './purchase-intake';

/** Demo fault: extra time per purchase handled, so the backlog builds even under a modest spike. */
@Injectable()
export class PurchaseSlowdown {
  ms = slowdownFromEnv();

  /** Spent before the reservation's transaction, so a slow purchase holds no database connection or row lock. */
  async wait(): Promise<void> {
    if (this.ms > 0) await sleep(this.ms);
  }
}
