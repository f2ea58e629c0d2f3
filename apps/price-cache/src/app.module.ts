import { type DynamicModule, Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { HealthModule, type ServiceConfig } from '@rocketmq-shop/service-defaults';
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
        // No probes: the cache is memory only, and bootstrapService listens on HTTP only after the
        // price-change consumer has started, so a 200 from /health already means "consuming".
        HealthModule.forRoot(),
      ],
    };
  }
}
