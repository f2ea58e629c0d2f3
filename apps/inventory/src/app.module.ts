import { Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { OutboxModule } from '@rocketmq-shop/rocketmq-transport/outbox';
import { BrokerHealthProbe, BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { CatalogModule } from './catalog/catalog.module';
import { INVENTORY_SCHEMA } from './database';
import { PricingModule } from './pricing/pricing.module';
import { ReservationsModule } from './reservations/reservations.module';

@Module({
  imports: [
    serviceDatabase(INVENTORY_SCHEMA),
    // No topics declared: none is transactional, so routes are fetched on first publish.
    RocketMQModule.forRoot(rocketMQConfigFromEnv()),
    OutboxModule.forRoot(),
    HealthModule.forRoot({ probes: [TypeOrmPingProbe, BrokerReachabilityProbe, BrokerHealthProbe] }),
    CatalogModule,
    PricingModule,
    ReservationsModule,
  ],
})
export class AppModule {}
