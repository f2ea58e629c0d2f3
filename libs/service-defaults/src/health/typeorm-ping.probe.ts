import { Injectable } from '@nestjs/common';
import { TypeOrmHealthIndicator, type HealthIndicatorResult } from '@nestjs/terminus';
import type { HealthProbe } from './health-probe';

/** `database: up` when the service's TypeORM DataSource (from TypeOrmModule) answers `SELECT 1` within 1.5 s. */
@Injectable()
export class TypeOrmPingProbe implements HealthProbe {
  constructor(private readonly typeorm: TypeOrmHealthIndicator) {}

  check(): Promise<HealthIndicatorResult> {
    return this.typeorm.pingCheck('database', { timeout: 1_500 });
  }
}
