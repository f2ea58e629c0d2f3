import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { positiveIntegerEnv } from '@rocketmq-shop/service-defaults';
import { FlashSaleService } from './flash-sale.service';

/** Purchases republished per sweep at most: a backlog left by a crash goes out over a few sweeps. */
const PER_SWEEP = 500;

export interface SweepSettings {
  /** A purchase PENDING for longer than this is published again. */
  afterMs: number;
  intervalMs: number;
}

/** `FLASH_SALE_SWEEP_AFTER_MS` (default 5 min: far beyond a normal backlog) and `FLASH_SALE_SWEEP_INTERVAL_MS` (1 min). */
export function sweepSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): SweepSettings {
  return { afterMs: positiveIntegerEnv('FLASH_SALE_SWEEP_AFTER_MS', 300_000, env), intervalMs: positiveIntegerEnv('FLASH_SALE_SWEEP_INTERVAL_MS', 60_000, env) };
}

/**
 * Republishes purchases left PENDING by a crash between their INSERT and their publish (ADR 0011's
 * open end, built by ADR 0014), every `intervalMs`. Every replica sweeps; a purchase republished twice
 * is still decided once by inventory.
 */
@Injectable()
export class PendingPurchaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PendingPurchaseSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly flashSales: FlashSaleService,
    private readonly settings: SweepSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), this.settings.intervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** One sweep; a sweep still running when the next is due is not doubled. */
  sweep(): Promise<void> {
    this.sweeping ??= this.republish().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async republish(): Promise<void> {
    try {
      const count = await this.flashSales.republishPending(new Date(Date.now() - this.settings.afterMs), PER_SWEEP);
      if (count > 0) this.logger.warn(`republished ${count} purchases pending for more than ${this.settings.afterMs} ms`);
    } catch (error) {
      this.logger.warn(`sweep of pending purchases failed (next in ${this.settings.intervalMs} ms): ${(error as Error).message}`);
    }
  }
}
