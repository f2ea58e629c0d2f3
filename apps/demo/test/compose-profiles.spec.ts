import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SHOP_PROCESSES } from '../src/shop-processes';
import { activeServices, readEnvFile, ROOT, type ComposeService } from './compose-file';

const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'compose-profiles-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Schema errors dclint finds (it validates against the compose-spec JSON schema it ships; its style rules are ignored here). */
async function schemaErrors(file: string): Promise<string[]> {
  const output = await run(process.execPath, [join(ROOT, 'node_modules/dclint/bin/dclint.cjs'), file, '-f', 'json'], { cwd: ROOT }).then(
    (done) => done.stdout,
    (failed: { stdout: string }) => failed.stdout,
  );
  const reports = JSON.parse(output) as { messages: { rule: string; message: string }[] }[];
  return reports.flatMap((report) => report.messages).filter((message) => message.rule.startsWith('invalid-')).map((message) => message.message);
}

const hostAndPort = (address: string) => {
  const url = new URL(address.includes('://') ? address : `grpc://${address}`);
  return { host: url.hostname, port: Number(url.port) };
};

/** dclint is a Node CLI started per check: ~1 s on a quiet machine, past vitest's 5 s default on a loaded one. */
const CLI_TIMEOUT_MS = 30_000;

const shopServices = (services: Record<string, ComposeService>) => SHOP_PROCESSES.map((process) => services[process.instance]);

describe('docker-compose.yml is valid Compose (compose-spec schema, dclint)', () => {
  it('with every profile (one file holds them all)', async () => {
    expect(await schemaErrors('docker-compose.yml')).toEqual([]);
  }, CLI_TIMEOUT_MS);

  it('the validator does catch a schema error', async () => {
    const broken = join(scratch, 'docker-compose.yml');
    writeFileSync(broken, 'services:\n  a:\n    image: x\n    healthcheck:\n      test: 5\n');
    expect((await schemaErrors(broken)).join('\n')).toMatch(/healthcheck\/test/);
  }, CLI_TIMEOUT_MS);

  it('mounts only files and folders that exist', () => {
    const all = activeServices({ COMPOSE_PROFILES: 'tracing,apache-rocketmq' });
    const binds = Object.values(all).flatMap((service) => service.volumes ?? []).filter((volume) => volume.startsWith('./'));
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect(existsSync(join(ROOT, bind.split(':')[0])), bind).toBe(true);
  });
});

describe('the default (no profile)', () => {
  it('exports no spans and starts neither tracing nor Apache RocketMQ', () => {
    const services = activeServices();
    for (const service of shopServices(services)) expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('');
    expect(Object.keys(services).filter((name) => name.startsWith('rocketmq-') || name === 'otel-collector' || name === 'jaeger')).toEqual([]);
  });
});

describe('profile tracing (deploy/compose/tracing.env)', () => {
  const env = readEnvFile('deploy/compose/tracing.env');
  const services = activeServices(env);
  const collectorConfig = parse(readFileSync(join(ROOT, 'deploy/compose/otel-collector.yaml'), 'utf8')) as {
    receivers: { otlp: { protocols: { http: { endpoint: string } } } };
    exporters: Record<string, { endpoint: string }>;
  };

  it('turns the profile on', () => {
    expect(env.COMPOSE_PROFILES).toBe('tracing');
    expect(services['otel-collector']?.profiles).toEqual(['tracing']);
  });

  it('points every service at the collector\'s OTLP/HTTP receiver', () => {
    const target = hostAndPort(env.OTEL_EXPORTER_OTLP_ENDPOINT);
    expect(target.host).toBe('otel-collector');
    expect(hostAndPort(collectorConfig.receivers.otlp.protocols.http.endpoint).port).toBe(target.port);
    for (const service of shopServices(services)) expect(service.environment?.OTEL_EXPORTER_OTLP_ENDPOINT).toBe(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  });

  it('has the collector export to a service of the profile (Jaeger), whose UI is on loopback', () => {
    for (const exporter of Object.values(collectorConfig.exporters)) expect(services[hostAndPort(exporter.endpoint).host]?.profiles).toEqual(['tracing']);
    expect(services.jaeger.ports).toEqual(['127.0.0.1:16686:16686']);
  });
});

describe('profile apache-rocketmq (deploy/compose/apache-rocketmq.env)', () => {
  const env = readEnvFile('deploy/compose/apache-rocketmq.env');
  const services = activeServices(env);
  const proxyConfig = JSON.parse(readFileSync(join(ROOT, 'deploy/rocketmq/rmq-proxy.json'), 'utf8')) as { grpcServerPort: number };
  const brokerConf = readFileSync(join(ROOT, 'deploy/rocketmq/broker.conf'), 'utf8');

  it('turns the profile on: name server, broker, proxy and the one-shot init', () => {
    expect(env.COMPOSE_PROFILES).toBe('apache-rocketmq');
    for (const name of ['rocketmq-namesrv', 'rocketmq-broker', 'rocketmq-proxy', 'rocketmq-init']) expect(services[name]?.profiles, name).toEqual(['apache-rocketmq']);
  });

  it('points every service at the proxy\'s gRPC port, by environment only', () => {
    const target = hostAndPort(env.ROCKETMQ_ENDPOINTS);
    expect(target).toEqual({ host: 'rocketmq-proxy', port: proxyConfig.grpcServerPort });
    for (const [index, service] of shopServices(services).entries()) {
      expect(service.environment?.ROCKETMQ_ENDPOINTS).toBe(env.ROCKETMQ_ENDPOINTS);
      // Same image and build as without the profile.
      expect(service.build).toEqual(shopServices(activeServices())[index].build);
    }
  });

  it('wires the Apache processes to each other by service name', () => {
    for (const name of ['rocketmq-broker', 'rocketmq-proxy']) expect(services[name].environment?.NAMESRV_ADDR).toBe('rocketmq-namesrv:9876');
    expect(services['rocketmq-init'].command).toContain('rocketmq-namesrv:9876');
    expect(brokerConf).toMatch(/^brokerIP1 = rocketmq-broker$/m);
    expect(brokerConf).toMatch(/^autoCreateTopicEnable = false$/m);
  });

  it('runs files that the mounted deploy/rocketmq folder holds', () => {
    const mounted = '/home/rocketmq/shop/';
    const files = ['rocketmq-broker', 'rocketmq-proxy', 'rocketmq-init'].flatMap((name) => (services[name].command ?? []).filter((arg) => arg.startsWith(mounted)));
    expect(files.length).toBe(3);
    for (const file of files) expect(existsSync(join(ROOT, 'deploy/rocketmq', file.slice(mounted.length))), file).toBe(true);
  });
});
