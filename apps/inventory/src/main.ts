// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { ServerRocketMQ, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';
import { PurchaseConsumption } from './reservations/purchase-consumption';

const config = serviceConfig('inventory', 3004);

bootstrapService({
  config,
  module: AppModule,
  beforeListen: (app) => {
    const server = new ServerRocketMQ({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId, defaultGroup: 'inventory' });
    // The purchase-pause fault switch pauses this server's consumer.
    app.get(PurchaseConsumption).attach(server);
    app.connectMicroservice({ strategy: server });
  },
}).catch((error: unknown) => {
  process.stderr.write(`inventory failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
