// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';
import { serveWebAssets } from './web-assets/web-assets';

bootstrapService({ config: serviceConfig('console', 3000), module: AppModule, beforeListen: serveWebAssets }).catch((error: unknown) => {
  process.stderr.write(`console failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
