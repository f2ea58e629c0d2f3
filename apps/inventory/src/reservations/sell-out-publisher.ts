import { Injectable, Logger } from '@nestjs/common';
import { type StockLevel, stockLevel } from '@rocketmq-shop/contracts';
import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { PurchaseDecisions } from './purchase-decisions.service';

/**
 * The outbox delivers a sell-out for sure, but behind every stock result queued before it — thousands
 * in a spike. The same event published right after the batch committed closes the order replicas'
 * sold-out gates seconds earlier (ADR 0014). The gates keep the highest version, so the outbox's copy
 * changes nothing; a failed publish only loses the head start.
 */
@Injectable()
export class SellOutPublisher {
  private readonly logger = new Logger(SellOutPublisher.name);

  constructor(
    decisions: PurchaseDecisions,
    private readonly mq: ClientRocketMQ,
  ) {
    decisions.onSoldOut((level) => this.publish(level));
  }

  private publish(level: StockLevel): void {
    this.mq.publishMessage(stockLevel.topic, level, { keys: [level.sku] }).catch((error: unknown) => {
      this.logger.warn(`sell-out of ${level.sku} not published at once (${(error as Error).message}); the outbox still delivers it`);
    });
  }
}
