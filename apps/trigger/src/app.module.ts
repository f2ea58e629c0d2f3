import { Module } from '@nestjs/common';
import { BrokerReachabilityProbe, HealthModule } from '@rocketmq-shop/service-defaults';
import { FunctionModule } from './function/function.module';
import { TriggersModule } from './triggers/triggers.module';

@Module({
  imports: [HealthModule.forRoot({ probes: [BrokerReachabilityProbe] }), TriggersModule, FunctionModule],
})
export class AppModule {}
