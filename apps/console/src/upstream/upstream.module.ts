import { Global, Module } from '@nestjs/common';
import { CONSOLE_CONFIG } from '../config/console-config.provider';
import { consoleConfig } from '../config/console-config';
import { BrokerAdmin } from './broker-admin';
import { DemoControl } from './demo-control';
import { ShopServices } from './shop-services';

/** The public APIs behind the console, available to every page module. */
@Global()
@Module({
  providers: [{ provide: CONSOLE_CONFIG, useFactory: () => consoleConfig() }, BrokerAdmin, ShopServices, DemoControl],
  exports: [BrokerAdmin, ShopServices, DemoControl],
})
export class UpstreamModule {}
