// First: instrumentations patch only what loads after them, and the imports below load Nest.
import '@rocketmq-shop/service-defaults/instrument';
import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { TriggerRegistry } from './triggers/trigger-registry';

async function main(): Promise<void> {
  const app = await bootstrapService({ config: serviceConfig('trigger', 3006), module: AppModule });
  if (process.env.TRIGGER_DEMO_FUNCTION === 'true') {
    // Loopback reaches this process in a container too; the port is known only once it listens.
    const { port } = app.getHttpServer().address() as AddressInfo;
    await app.get(TriggerRegistry).startDemoTrigger(`http://127.0.0.1:${port}/function`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`trigger failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
