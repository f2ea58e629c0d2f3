import { Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { CreateOutboxMessages1795000000001, OutboxMessage, OutboxModule } from '@rocketmq-shop/rocketmq-transport/outbox';
import { BrokerHealthProbe, BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { CreatePurchases1796000000001 } from './flash-sale/create-purchases.migration';
import { FlashSaleModule } from './flash-sale/flash-sale.module';
import { Purchase } from './flash-sale/purchase.entity';
import { CreateOrders1796000000000 } from './orders/create-orders.migration';
import { Order } from './orders/order.entity';
import { OrdersModule } from './orders/orders.module';
import { StockResultsModule } from './stock-results/stock-results.module';

@Module({
  imports: [
    serviceDatabase({
      schema: 'order',
      entities: [Order, Purchase, ProcessedMessage, OutboxMessage],
      migrations: [CreateProcessedMessages1795000000000, CreateOutboxMessages1795000000001, CreateOrders1796000000000, CreatePurchases1796000000001],
    }),
    RocketMQModule.forRoot(rocketMQConfigFromEnv()),
    OutboxModule.forRoot(),
    HealthModule.forRoot({ probes: [TypeOrmPingProbe, BrokerReachabilityProbe, BrokerHealthProbe] }),
    OrdersModule,
    FlashSaleModule,
    StockResultsModule,
  ],
})
export class AppModule {}
