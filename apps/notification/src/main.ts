// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { ServerRocketMQ, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { bootstrapService, handlerRetries, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';

const config = serviceConfig('notification', 3002);

bootstrapService({
  config,
  module: AppModule,
  beforeListen: (app) =>
    app.connectMicroservice({ strategy: new ServerRocketMQ({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId, handlerDefaults: handlerRetries(config.name) }) }),
}).catch((error: unknown) => {
  process.stderr.write(`notification failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
