import { Global, Module } from '@nestjs/common';
import { FaultInjector } from './fault-injector';
import { FaultsController } from './faults.controller';

/** Simulated providers and failures; global because every consuming context is subject to them. */
@Global()
@Module({ controllers: [FaultsController], providers: [FaultInjector], exports: [FaultInjector] })
export class FaultsModule {}
