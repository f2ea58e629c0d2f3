import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { BrokerAdmin } from './broker-admin';

/** `broker-admin: up` when the broker's admin API answers its health route. */
@Injectable()
export class BrokerAdminProbe {
  constructor(
    private readonly broker: BrokerAdmin,
    private readonly health: HealthIndicatorService,
  ) {}

  async check(): Promise<HealthIndicatorResult> {
    const indicator = this.health.check('broker-admin');
    try {
      await this.broker.get('/health');
      return indicator.up();
    } catch (error) {
      return indicator.down({ reason: error instanceof Error ? error.message : String(error) });
    }
  }
}
