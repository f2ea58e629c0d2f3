import { Module } from '@nestjs/common';
import { CreateProcessedMessages1795000000000, ProcessedMessage } from '@rocketmq-shop/rocketmq-transport/idempotency';
import { BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { ContactsModule } from './contacts/contacts.module';
import { Contact } from './contacts/contact.entity';
import { CreateContacts1797100000002 } from './contacts/create-contacts.migration';
import { CreateDeliveries1797100000001 } from './deliveries/create-deliveries.migration';
import { Delivery } from './deliveries/delivery.entity';
import { EmailModule } from './email/email.module';
import { FaultsModule } from './faults/faults.module';
import { CreateOrderTimelines1797100000003 } from './orders/create-order-timelines.migration';
import { OrderTimeline } from './orders/order-timeline.entity';
import { OrdersModule } from './orders/orders.module';
import { SmsModule } from './sms/sms.module';
import { Counter } from './stats/counter.entity';
import { CreateCounters1797100000000 } from './stats/create-counters.migration';
import { StatsModule } from './stats/stats.module';

@Module({
  imports: [
    serviceDatabase({
      schema: 'notification',
      entities: [ProcessedMessage, Counter, Delivery, Contact, OrderTimeline],
      migrations: [CreateProcessedMessages1795000000000, CreateCounters1797100000000, CreateDeliveries1797100000001, CreateContacts1797100000002, CreateOrderTimelines1797100000003],
    }),
    // Notification publishes nothing, so the broker is probed by its endpoint, not by a producer.
    HealthModule.forRoot({ probes: [TypeOrmPingProbe, BrokerReachabilityProbe] }),
    FaultsModule,
    StatsModule,
    EmailModule,
    SmsModule,
    ContactsModule,
    OrdersModule,
  ],
})
export class AppModule {}
