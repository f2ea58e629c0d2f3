import { bootstrapService, serviceConfig } from '@rocketmq-shop/service-defaults';
import { AppModule } from './app.module';

bootstrapService({ config: serviceConfig('trigger', 3006), module: AppModule }).catch((error: unknown) => {
  process.stderr.write(`trigger failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
