import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { estimateBacklog } from './backlog-estimate';
import { purchaseIntakeFromEnv } from './purchase-intake';
import { StockDecision, type StockDecisionStatus } from './stock-decision.entity';

export interface ReservationStatsView {
  reserved: number;
  rejected: number;
  /** Purchase requests probably still waiting in the broker (see estimateBacklog); the broker admin has the exact count. */
  backlogHint: number;
  /** The most purchase requests taken off the broker per second (INVENTORY_PURCHASE_RATE): the drain rate's cap. */
  intakeRatePerSecond: number;
}

@Injectable()
export class ReservationStats {
  private readonly ratePerSecond = purchaseIntakeFromEnv().ratePerSecond;
  private lastTaken: { at: number; queueDelayMs: number } | undefined;

  constructor(@InjectRepository(StockDecision) private readonly decisions: Repository<StockDecision>) {}

  /** Called as each purchase request is taken off the broker, with the time it was published. */
  purchaseTaken(publishedAt: Date | undefined): void {
    const now = Date.now();
    this.lastTaken = { at: now, queueDelayMs: publishedAt ? now - publishedAt.getTime() : 0 };
  }

  async snapshot(): Promise<ReservationStatsView> {
    const rows = await this.decisions
      .createQueryBuilder('decision')
      .select('decision.status', 'status')
      .addSelect('count(*)::int', 'count')
      .groupBy('decision.status')
      .getRawMany<{ status: StockDecisionStatus; count: number }>();
    const count = (status: StockDecisionStatus) => rows.find((row) => row.status === status)?.count ?? 0;
    const backlogHint = this.lastTaken
      ? estimateBacklog({ queueDelayMs: this.lastTaken.queueDelayMs, takenAgoMs: Date.now() - this.lastTaken.at, ratePerSecond: this.ratePerSecond })
      : 0;
    return { reserved: count('RESERVED'), rejected: count('REJECTED'), backlogHint, intakeRatePerSecond: this.ratePerSecond };
  }
}
