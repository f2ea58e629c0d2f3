import { type DynamicModule, Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { BrokerReachabilityProbe, HealthModule, type ServiceConfig } from '@rocketmq-shop/service-defaults';
import { PricesModule } from './prices/prices.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // The producer of the warm-up's snapshot request; the consumer is the microservice (main.ts).
        RocketMQModule.forRoot({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId }),
        PricesModule.forRoot(config.instanceId),
        // No database: the cache is memory only. The broker is probed by its endpoint: with it gone
        // the replica serves stale prices and misses changes.
        HealthModule.forRoot({ probes: [BrokerReachabilityProbe] }),
      ],
    };
  }
}
