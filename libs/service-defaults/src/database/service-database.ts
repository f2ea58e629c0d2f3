import type { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ensureSchema, typeOrmOptions, type ServiceDataSourceOptions } from '@rocketmq-shop/postgres';
import { DataSource } from 'typeorm';
import { guardPoolClients } from './guard-pool-clients';

/**
 * The service's own schema on DATABASE_URL, created if missing, with its migrations applied at start;
 * a Postgres restart cannot end the process through a connection's 'error' event (guardPoolClients).
 */
export function serviceDatabase(options: Omit<ServiceDataSourceOptions, 'url'>): DynamicModule {
  return TypeOrmModule.forRootAsync({
    useFactory: async () => {
      const url = process.env.DATABASE_URL;
      if (!url) throw new Error(`DATABASE_URL is not set: ${options.schema} needs a Postgres (the demo and the tests pass one)`);
      await ensureSchema(url, options.schema);
      return typeOrmOptions({ ...options, url, applicationName: options.schema });
    },
    dataSourceFactory: async (dataSourceOptions) => guardPoolClients(await new DataSource(dataSourceOptions!).initialize()),
  });
}
