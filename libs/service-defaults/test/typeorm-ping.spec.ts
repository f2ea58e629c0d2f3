import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { startEmbeddedPostgres, typeOrmOptions, type DatabaseHandle } from '@rocketmq-shop/postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthModule, TypeOrmPingProbe } from '../src';
import { startService, type StartedService } from './support';

describe('TypeOrmPingProbe', () => {
  let database: DatabaseHandle;
  let service: StartedService;

  beforeAll(async () => {
    database = await startEmbeddedPostgres();
    @Module({
      imports: [
        TypeOrmModule.forRoot(typeOrmOptions({ url: database.url, schema: 'public', entities: [] })),
        HealthModule.forRoot({ probes: [TypeOrmPingProbe] }),
      ],
    })
    class ServiceWithDatabase {}
    service = await startService(ServiceWithDatabase, 'with-db');
  });

  afterAll(async () => {
    await service?.app.close();
    await database?.stop();
  });

  it('reports the database up while Postgres answers', async () => {
    const response = await fetch(`${service.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
  });

  it('reports the database down once Postgres is gone', async () => {
    await database.stop();
    const response = await fetch(`${service.baseUrl}/health`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
  });
});
