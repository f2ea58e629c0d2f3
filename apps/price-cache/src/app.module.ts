import { type DynamicModule, Module } from '@nestjs/common';
import { HealthModule, type ServiceConfig } from '@rocketmq-shop/service-defaults';
import { PricesModule } from './prices/prices.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      // No probes: the cache is memory only, and bootstrapService listens on HTTP only after the
      // price-change consumer has started, so a 200 from /health already means "consuming".
      imports: [PricesModule.forRoot(config.instanceId), HealthModule.forRoot()],
    };
  }
}
