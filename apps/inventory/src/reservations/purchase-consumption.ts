import { Injectable } from '@nestjs/common';
import { inventoryPurchasesGroup } from '@rocketmq-shop/contracts';
import type { ServerRocketMQ } from '@rocketmq-shop/rocketmq-transport';

export type ConsumptionSwitch = Pick<ServerRocketMQ, 'pauseConsumption' | 'resumeConsumption' | 'isConsumptionPaused'>;

/**
 * Demo fault: pause and resume this process's intake of purchase requests. It pauses the transport's
 * consumer (no handler is held): the requests wait in the broker as backlog, none is received, and on
 * resume they drain at the capped rate. The transport server is handed over in main.ts, where it is made.
 */
@Injectable()
export class PurchaseConsumption {
  private server: ConsumptionSwitch | undefined;

  attach(server: ConsumptionSwitch): void {
    this.server = server;
  }

  get paused(): boolean {
    return this.server?.isConsumptionPaused(inventoryPurchasesGroup.name) ?? false;
  }

  /** Resolves once the purchases being handled have been decided: from then on, none is taken. */
  async setPaused(paused: boolean): Promise<void> {
    if (!this.server) throw new Error('purchase consumption is not attached to a transport server yet');
    if (paused) await this.server.pauseConsumption(inventoryPurchasesGroup.name);
    else this.server.resumeConsumption(inventoryPurchasesGroup.name);
  }
}
