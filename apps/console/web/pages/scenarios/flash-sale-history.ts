import type { FlashSaleView } from '../../api/scenarios';
import type { ChartSeries } from '../../components/live-chart';

/**
 * The last `capacity` samples of the flash-sale panel: the broker's backlog as it is, and the drain
 * rate — purchase requests the group finished per second, from its cumulative `acked` — against the cap.
 */
export class FlashSaleHistory {
  private readonly samples: FlashSaleView[] = [];

  constructor(private readonly capacity = 120) {}

  push(sample: FlashSaleView): void {
    const last = this.samples.at(-1);
    // Another sale or SKU is another story: start the charts again.
    if (last && (last.saleId !== sample.saleId || last.sku !== sample.sku)) this.samples.length = 0;
    this.samples.push(sample);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  times(): number[] {
    return this.samples.map((sample) => sample.at / 1000);
  }

  backlog(): ChartSeries[] {
    return [{ label: 'backlog (purchase requests waiting)', values: this.samples.map((sample) => sample.intake.backlog) }];
  }

  drain(): ChartSeries[] {
    return [
      { label: 'drain rate (requests/s)', values: this.samples.map((_, i) => this.drainRate(i)) },
      { label: 'intake cap (requests/s)', values: this.samples.map((sample) => sample.intakeRatePerSecond) },
    ];
  }

  latestDrainRate(): number {
    return this.drainRate(this.samples.length - 1) ?? 0;
  }

  private drainRate(i: number): number | null {
    const previous = this.samples[i - 1];
    const sample = this.samples[i];
    if (!previous || !sample || sample.at <= previous.at || sample.intake.acked < previous.intake.acked) return null;
    return ((sample.intake.acked - previous.intake.acked) * 1000) / (sample.at - previous.at);
  }
}
