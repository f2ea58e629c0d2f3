import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { BrokerStats } from '../../api-contract/broker-stats';
import { BrokerAdmin } from '../../upstream/broker-admin';

@ApiTags('dashboard')
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly broker: BrokerAdmin) {}

  /** The broker's counters and gauges right now; the page samples this and draws the rates. */
  @Get()
  stats(): Promise<BrokerStats> {
    return this.broker.get('/stats');
  }
}
