import { ServerRocketMQ, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';

const config = serviceConfig('inventory', 3004);

bootstrapService({
  config,
  module: AppModule,
  beforeListen: (app) =>
    app.connectMicroservice({ strategy: new ServerRocketMQ({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId, defaultGroup: 'inventory' }) }),
}).catch((error: unknown) => {
  process.stderr.write(`inventory failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
