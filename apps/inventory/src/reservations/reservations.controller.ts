import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ReservationStats, type ReservationStatsView } from './reservation-stats.service';

@ApiTags('reservations')
@Controller()
export class ReservationsController {
  constructor(private readonly stats: ReservationStats) {}

  @Get('stats')
  snapshot(): Promise<ReservationStatsView> {
    return this.stats.snapshot();
  }
}
