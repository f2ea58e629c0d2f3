import { Controller, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { PurchaseSlowdown } from './purchase-slowdown';

const Faults = z.object({ slowdownMs: z.number().int().min(0).max(60_000) });

/** Demo knob (FAULTS_ENABLED=true only): extra time per purchase, so a modest spike builds a backlog. */
@ApiTags('faults')
@Controller('faults')
export class PurchaseFaultsController {
  constructor(private readonly slowdown: PurchaseSlowdown) {}

  @Put()
  setFaults(@ZodBody(Faults) body: z.output<typeof Faults>): z.output<typeof Faults> {
    this.slowdown.ms = body.slowdownMs;
    return { slowdownMs: this.slowdown.ms };
  }
}
