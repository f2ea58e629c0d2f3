import { Injectable } from '@nestjs/common';
import { RocketMQHealthIndicator } from '@rocketmq-shop/rocketmq-transport/health';
import type { HealthProbe } from './health-probe';

/** `/health` reports the RocketMQ producer's connection next to the database. */
@Injectable()
export class BrokerHealthProbe extends RocketMQHealthIndicator implements HealthProbe {
  check() {
    return this.isHealthy();
  }
}
