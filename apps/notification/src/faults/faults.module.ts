import { Global, Module } from '@nestjs/common';
import { faultControllers } from '@rocketmq-shop/service-defaults';
import { FaultInjector } from './fault-injector';
import { FaultsController } from './faults.controller';

/**
 * Simulated providers and failures; global because every consuming context is subject to them.
 * `PUT /faults` exists only with FAULTS_ENABLED=true; the start-up settings come from the environment.
 */
@Global()
@Module({ controllers: faultControllers([FaultsController]), providers: [FaultInjector], exports: [FaultInjector] })
export class FaultsModule {}
