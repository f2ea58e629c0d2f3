// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { ServerRocketMQ, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';

const config = serviceConfig('registration', 3001);

bootstrapService({
  config,
  module: AppModule,
  // Registration consumes nothing yet; the server is connected like in every service, so a handler added later just works.
  beforeListen: (app) => app.connectMicroservice({ strategy: new ServerRocketMQ({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId }) }),
}).catch((error: unknown) => {
  process.stderr.write(`registration failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
