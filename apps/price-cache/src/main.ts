// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { ServerRocketMQ, rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';

const config = serviceConfig('price-cache', 3011);

bootstrapService({
  config,
  module: AppModule.forRoot(config),
  beforeListen: (app) => {
    // The same instance id as the logs: it names this replica's broadcast group, so it must be stable
    // across restarts for a replica to resume its own group (INSTANCE_ID; ADR 0006).
    app.connectMicroservice({ strategy: new ServerRocketMQ({ ...rocketMQConfigFromEnv(), instanceId: config.instanceId }) });
  },
}).catch((error: unknown) => {
  process.stderr.write(`price-cache failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
