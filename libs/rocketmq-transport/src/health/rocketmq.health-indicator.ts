import { Injectable } from '@nestjs/common';
import { type HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { ClientRocketMQ } from '../client/client-rocketmq';
import type { RocketMQComponentHealth } from '../rocketmq.options';
import { ServerRocketMQ } from '../server/server-rocketmq';

/**
 * @nestjs/terminus indicator: up while the producer reaches the broker (a route lookup per check)
 * and every subscription of this process's listening servers receives; down otherwise, and up again
 * on its own once the broker is back.
 */
@Injectable()
export class RocketMQHealthIndicator {
  constructor(
    private readonly client: ClientRocketMQ,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'rocketmq'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    const producer = await this.client.health();
    const subscriptions = ServerRocketMQ.subscriptionHealth();
    const details = { producer: stateOf(producer), ...(Object.keys(subscriptions).length > 0 && { consumers: mapValues(subscriptions, stateOf) }) };
    return producer.up && Object.values(subscriptions).every((s) => s.up) ? indicator.up(details) : indicator.down(details);
  }
}

function stateOf(health: RocketMQComponentHealth): string {
  if (health.up) return 'up';
  return health.since ? `down since ${health.since.toISOString()}: ${health.reason}` : `down: ${health.reason}`;
}

function mapValues<T, R>(record: Record<string, T>, map: (value: T) => R): Record<string, R> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
