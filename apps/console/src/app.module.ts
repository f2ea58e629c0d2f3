import { Module } from '@nestjs/common';
import { HealthModule } from '@rocketmq-shop/service-defaults';
import { DashboardModule } from './pages/dashboard/dashboard.module';
import { BrokerAdminProbe } from './upstream/broker-admin.probe';
import { UpstreamModule } from './upstream/upstream.module';

/** One module per page of the console (pages/<page>/), each a thin JSON API over public upstream APIs. */
@Module({
  imports: [UpstreamModule, HealthModule.forRoot({ probes: [BrokerAdminProbe] }), DashboardModule],
})
export class AppModule {}
