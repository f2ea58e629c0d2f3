import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, faultSwitches } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { PurchaseConsumption } from './purchase-consumption';
import { PurchaseSlowdown } from './purchase-slowdown';

const FaultsBody = faultSwitches({ slowdownMs: z.number().int().min(0).max(60_000), purchasesPaused: z.boolean() });

export interface PurchaseFaults {
  slowdownMs: number;
  purchasesPaused: boolean;
}

/** Demo knobs (FAULTS_ENABLED=true only): a struggling inventory, and one that stops taking purchases. */
@ApiTags('faults')
@Controller('faults')
export class PurchaseFaultsController {
  constructor(
    private readonly slowdown: PurchaseSlowdown,
    private readonly consumption: PurchaseConsumption,
  ) {}

  @Get()
  current(): PurchaseFaults {
    return { slowdownMs: this.slowdown.ms, purchasesPaused: this.consumption.paused };
  }

  /**
   * `slowdownMs`: extra time per purchase, so a modest spike builds a backlog. `purchasesPaused`: stop
   * (true) or resume (false) taking purchase requests off the broker; a pause answers once the purchases
   * in hand are decided. Answers the settings now in force.
   */
  @Put()
  async setFaults(@ZodBody(FaultsBody) body: z.output<typeof FaultsBody>): Promise<PurchaseFaults> {
    if (body.slowdownMs !== undefined) this.slowdown.ms = body.slowdownMs;
    if (body.purchasesPaused !== undefined) await this.consumption.setPaused(body.purchasesPaused);
    return this.current();
  }
}
