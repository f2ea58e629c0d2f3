import { Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { CreateOutboxMessages1795000000001, OutboxMessage, OutboxModule } from '@rocketmq-shop/rocketmq-transport/outbox';
import { BrokerHealthProbe, BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { AddStockVersion1796000000004 } from './catalog/add-stock-version.migration';
import { CatalogModule } from './catalog/catalog.module';
import { CreateProducts1796000000000 } from './catalog/create-products.migration';
import { Product } from './catalog/product.entity';
import { AddPriceChangedAt1796000000002 } from './pricing/add-price-changed-at.migration';
import { PricingModule } from './pricing/pricing.module';
import { CreateStockDecisions1796000000001 } from './reservations/create-stock-decisions.migration';
import { AddReleasedAt1796000000003 } from './reservations/add-released-at.migration';
import { ReservationsModule } from './reservations/reservations.module';
import { StockDecision } from './reservations/stock-decision.entity';

@Module({
  imports: [
    serviceDatabase({
      schema: 'inventory',
      entities: [Product, StockDecision, ProcessedMessage, OutboxMessage],
      migrations: [
        CreateProcessedMessages1795000000000,
        CreateOutboxMessages1795000000001,
        CreateProducts1796000000000,
        CreateStockDecisions1796000000001,
        AddPriceChangedAt1796000000002,
        AddReleasedAt1796000000003,
        AddStockVersion1796000000004,
      ],
    }),
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
