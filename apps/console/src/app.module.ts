import { Module } from '@nestjs/common';
import { HealthModule } from '@rocketmq-shop/service-defaults';
import { ClientsModule } from './pages/clients/clients.module';
import { DashboardModule } from './pages/dashboard/dashboard.module';
import { GroupsModule } from './pages/groups/groups.module';
import { MessagesModule } from './pages/messages/messages.module';
import { ScenariosModule } from './pages/scenarios/scenarios.module';
import { TopicsModule } from './pages/topics/topics.module';
import { TransactionsModule } from './pages/transactions/transactions.module';
import { TriggersModule } from './pages/triggers/triggers.module';
import { BrokerAdminProbe } from './upstream/broker-admin.probe';
import { UpstreamModule } from './upstream/upstream.module';

/** One module per page of the console (pages/<page>/), each a thin JSON API over public upstream APIs. */
@Module({
  imports: [
    UpstreamModule,
    HealthModule.forRoot({ probes: [BrokerAdminProbe] }),
    DashboardModule,
    TopicsModule,
    GroupsModule,
    MessagesModule,
    TransactionsModule,
    ClientsModule,
    TriggersModule,
    ScenariosModule,
  ],
})
export class AppModule {}
