import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { ClientRocketMQ } from '../client/client-rocketmq';

/**
 * @nestjs/terminus indicator: down until the producer has connected, and while the latest publish
 * failed (the official client exposes no cheaper reachability probe).
 */
@Injectable()
export class RocketMQHealthIndicator {
  constructor(
    private readonly client: ClientRocketMQ,
    private readonly health: HealthIndicatorService,
  ) {}

  isHealthy(key = 'rocketmq') {
    const indicator = this.health.check(key);
    const { connected, lastFailure } = this.client.health();
    if (!connected) return indicator.down({ reason: 'not connected' });
    if (lastFailure) return indicator.down({ reason: lastFailure.message, since: lastFailure.at.toISOString() });
    return indicator.up();
  }
}
