import { Module } from '@nestjs/common';
import { userLifecycle, userRegistered } from '@rocketmq-shop/contracts';
import { RocketMQModule, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { CreateOutboxMessages1795000000001, OutboxMessage, OutboxModule } from '@rocketmq-shop/rocketmq-transport/outbox';
import { BrokerHealthProbe, BrokerReachabilityProbe, HealthModule, serviceDatabase, TypeOrmPingProbe } from '@rocketmq-shop/service-defaults';
import { CreateUsers1797000000000 } from './users/create-users.migration';
import { User } from './users/user.entity';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    serviceDatabase({
      schema: 'registration',
      entities: [User, OutboxMessage],
      // No processed_messages table: registration consumes nothing.
      migrations: [CreateOutboxMessages1795000000001, CreateUsers1797000000000],
    }),
    // user-registered is declared by its checker; user-lifecycle is listed so its route is ready before the first publish.
    RocketMQModule.forRoot({ ...rocketMQConfigFromEnv(), topics: [userRegistered.topic, userLifecycle.topic] }),
    OutboxModule.forRoot(),
    HealthModule.forRoot({ probes: [TypeOrmPingProbe, BrokerReachabilityProbe, BrokerHealthProbe] }),
    UsersModule,
  ],
})
export class AppModule {}
