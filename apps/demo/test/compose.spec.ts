import { envPrefix } from '@rocketmq-shop/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKER_ADMIN_PORT, BROKER_PORT, CONSOLE_PORT, SHOP_PROCESSES } from '../src/shop-processes';
import { activeServices, ROOT } from './compose-file';

// The compose file must run the same shop `npm run demo` runs: same processes, ports and environment
// names as the Stack gives each ServiceProcess (`<APP>_PORT`, DATABASE_URL, ROCKETMQ_ENDPOINTS, INSTANCE_ID).
// This file checks the default (no profile); compose-profiles.spec.ts checks each profile.

const services = activeServices();

describe('docker-compose.yml without a profile', () => {
  it('runs exactly Postgres, the broker, the processes of the demo and the console', () => {
    expect(Object.keys(services).sort()).toEqual(['broker', 'console', 'postgres', ...SHOP_PROCESSES.map((p) => p.instance)].sort());
  });

  it("runs the console in the broker's network namespace, reading the admin API on loopback and every service by name", () => {
    const consoleService = services.console;
    expect(consoleService.build?.args?.APP).toBe('console');
    expect(consoleService.network_mode).toBe('service:broker');
    expect(consoleService.environment).toMatchObject({ CONSOLE_HOST: '0.0.0.0', CONSOLE_PORT: String(CONSOLE_PORT), CONSOLE_BROKER_ADMIN_URL: `http://127.0.0.1:${BROKER_ADMIN_PORT}` });
    expect(consoleService.environment?.CONSOLE_SERVICES?.split(',')).toEqual(SHOP_PROCESSES.map((p) => `${p.instance}=http://${p.instance}:${p.port}`));
    expect(consoleService.ports).toBeUndefined();
    expect(services.broker.ports).toContain(`127.0.0.1:${CONSOLE_PORT}:${CONSOLE_PORT}`);
    expect(consoleService.healthcheck?.test).toEqual(['CMD', 'healthcheck', String(CONSOLE_PORT)]);
    expect(consoleService.depends_on).toEqual({ broker: { condition: 'service_healthy' } });
  });

  it.each(SHOP_PROCESSES.map((p) => [p.instance, p] as const))('%s gets the environment its ServiceProcess gets, on the documented port', (instance, process) => {
    const service = services[instance];
    const prefix = envPrefix(process.app);
    expect(service.build?.args?.APP).toBe(process.app);
    expect(service.environment).toMatchObject({
      [`${prefix}_PORT`]: String(process.port),
      // The Stack binds 127.0.0.1 (the default); a container must listen on every interface.
      [`${prefix}_HOST`]: '0.0.0.0',
      ROCKETMQ_ENDPOINTS: `broker:${BROKER_PORT}`,
      INSTANCE_ID: instance,
      // No /faults endpoints (crash switches) in containers; the demo and the tests turn them on.
      FAULTS_ENABLED: 'false',
      ...process.env,
    });
    expect('DATABASE_URL' in (service.environment ?? {})).toBe(process.usesDatabase);
    expect(service.ports).toEqual([`127.0.0.1:${process.port}:${process.port}`]);
    expect(service.healthcheck?.test).toEqual(['CMD', 'healthcheck', String(process.port)]);
    expect(service.depends_on).toEqual({
      broker: { condition: 'service_healthy' },
      ...(process.usesDatabase ? { postgres: { condition: 'service_healthy' } } : {}),
    });
  });

  it('gives services a DATABASE_URL that points at the postgres service and its credentials', () => {
    const postgres = services.postgres.environment ?? {};
    const url = new URL(services.registration.environment?.DATABASE_URL ?? '');
    expect(url.hostname).toBe('postgres');
    expect([url.username, url.password, url.pathname]).toEqual([postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD, `/${postgres.POSTGRES_DB}`]);
  });

  it('runs the broker on the gRPC port the services dial, with the config file generated from contracts', () => {
    const broker = services.broker;
    expect(broker.build?.args?.APP).toBe('broker');
    expect(broker.environment).toMatchObject({ BROKER_HOST: '0.0.0.0', BROKER_PORT: String(BROKER_PORT), BROKER_CONFIG: '/repo/deploy/broker.json' });
    expect(broker.ports).toEqual([`127.0.0.1:${BROKER_PORT}:${BROKER_PORT}`, `127.0.0.1:${CONSOLE_PORT}:${CONSOLE_PORT}`]);
    expect(broker.healthcheck?.test).toEqual(['CMD', 'healthcheck', String(BROKER_ADMIN_PORT)]);
    // The Dockerfile copies the repository to /repo: the path names the committed deploy/broker.json.
    expect(readFileSync(join(ROOT, broker.environment?.BROKER_CONFIG?.replace('/repo/', '') ?? ''), 'utf8')).toContain('"topics"');
  });

  it('limits the memory of every service and checks the health of each', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.mem_limit, name).toMatch(/^\d+[mg]$/);
      expect(service.healthcheck?.test, name).toBeDefined();
    }
  });

  it('keeps the V8 heap of every Node process well below its container memory limit', () => {
    for (const name of ['broker', 'console', ...SHOP_PROCESSES.map((p) => p.instance)]) {
      const service = services[name];
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(service.environment?.NODE_OPTIONS ?? '')?.[1]);
      // Buffers, gRPC/HTTP2 sessions and native memory live outside the V8 heap: leave them a third.
      expect(heapMiB, name).toBeLessThanOrEqual((mebibytes(service.mem_limit ?? '0') * 2) / 3);
    }
  });

  it('gives every Node process a stop grace period longer than its drain (21-33 s measured, Docker default 10 s)', () => {
    for (const name of ['broker', 'console', ...SHOP_PROCESSES.map((p) => p.instance)]) {
      expect(seconds(services[name].stop_grace_period ?? '10s'), name).toBeGreaterThanOrEqual(40);
    }
  });
});

function mebibytes(limit: string): number {
  const [, amount, unit] = /^(\d+)([mg])$/.exec(limit) ?? ['', '0', 'm'];
  return Number(amount) * (unit === 'g' ? 1024 : 1);
}

function seconds(duration: string): number {
  const [, amount, unit] = /^(\d+)(s|m)$/.exec(duration) ?? ['', '0', 's'];
  return Number(amount) * (unit === 'm' ? 60 : 1);
}
