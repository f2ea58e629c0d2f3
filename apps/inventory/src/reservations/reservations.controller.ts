import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { PurchaseSlowdown } from './purchase-slowdown';
import { ReservationStats, type ReservationStatsView } from './reservation-stats.service';

const Faults = z.object({ slowdownMs: z.number().int().min(0).max(60_000) });

@ApiTags('reservations')
@Controller()
export class ReservationsController {
  constructor(
    private readonly stats: ReservationStats,
    private readonly slowdown: PurchaseSlowdown,
  ) {}

  @Get('stats')
  snapshot(): Promise<ReservationStatsView> {
    return this.stats.snapshot();
  }

  @Put('faults')
  setFaults(@ZodBody(Faults) body: z.output<typeof Faults>): z.output<typeof Faults> {
    this.slowdown.ms = body.slowdownMs;
    return { slowdownMs: this.slowdown.ms };
  }
}
