import { Module } from '@nestjs/common';
import { faultControllers } from '@rocketmq-shop/service-defaults';
import { CrashFault } from './crash-fault';
import { FaultsController } from './faults.controller';

/** Fault injection for the distributed-transaction demo; `PUT /faults` only with FAULTS_ENABLED=true. */
@Module({ controllers: faultControllers([FaultsController]), providers: [CrashFault], exports: [CrashFault] })
export class FaultsModule {}
