import { Module } from '@nestjs/common';
import { CrashFault } from './crash-fault';
import { FaultsController } from './faults.controller';

/** Fault injection for the distributed-transaction demo. */
@Module({ controllers: [FaultsController], providers: [CrashFault], exports: [CrashFault] })
export class FaultsModule {}
