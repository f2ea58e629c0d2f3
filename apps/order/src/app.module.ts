import { Module } from '@nestjs/common';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { OutboxModule } from '@rocketmq-shop/rocketmq-transport/outbox';
import { BrokerHealthProbe, BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { ORDER_SCHEMA } from './database';
import { FlashSaleModule } from './flash-sale/flash-sale.module';
import { OrdersModule } from './orders/orders.module';
import { StockResultsModule } from './stock-results/stock-results.module';

@Module({
  imports: [
    serviceDatabase(ORDER_SCHEMA),
    RocketMQModule.forRoot(rocketMQConfigFromEnv()),
    OutboxModule.forRoot(),
    HealthModule.forRoot({ probes: [TypeOrmPingProbe, BrokerReachabilityProbe, BrokerHealthProbe] }),
    OrdersModule,
    FlashSaleModule,
    StockResultsModule,
  ],
})
export class AppModule {}
