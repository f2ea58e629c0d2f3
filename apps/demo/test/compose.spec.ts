import { envPrefix } from '@rocketmq-shop/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// `yaml` is in node_modules through nx and vite, not a declared dependency of the workspace (yet).
import { parse } from 'yaml';
import { BROKER_PORT, SHOP_PROCESSES } from '../src/shop-processes';

// The compose file must run the same shop `npm run demo` runs: same processes, ports and environment
// names as the Stack gives each ServiceProcess (`<APP>_PORT`, DATABASE_URL, ROCKETMQ_ENDPOINTS, INSTANCE_ID).

interface ComposeService {
  image?: string;
  build?: { context: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  mem_limit?: string;
}

const ROOT = join(__dirname, '../../..');
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('runs exactly Postgres, the broker and the processes of the demo', () => {
    expect(Object.keys(services).sort()).toEqual(['broker', 'postgres', ...SHOP_PROCESSES.map((p) => p.instance)].sort());
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
    });
    expect('DATABASE_URL' in (service.environment ?? {})).toBe(process.usesDatabase);
    expect(service.ports).toEqual([`${process.port}:${process.port}`]);
    expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'deploy/healthcheck.js', `http://127.0.0.1:${process.port}/health`]);
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
    expect(broker.ports).toContain(`${BROKER_PORT}:${BROKER_PORT}`);
    // The Dockerfile copies the repository to /repo: the path names the committed deploy/broker.json.
    expect(readFileSync(join(ROOT, broker.environment?.BROKER_CONFIG?.replace('/repo/', '') ?? ''), 'utf8')).toContain('"topics"');
  });

  it('limits the memory of every service and checks the health of each', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.mem_limit, name).toMatch(/^\d+[mg]$/);
      expect(service.healthcheck?.test, name).toBeDefined();
    }
  });
});
