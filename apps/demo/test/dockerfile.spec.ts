import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('Dockerfile', () => {
  it('copies every workspace manifest before `npm ci`, so the dependency layer survives source edits', () => {
    const workspaces = ['apps', 'libs'].flatMap((dir) => readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}/package.json`));
    const install = dockerfile.indexOf('RUN npm ci');
    const sources = dockerfile.indexOf('COPY . .');
    for (const manifest of workspaces) {
      const copied = dockerfile.indexOf(`COPY ${manifest} `);
      expect(copied, manifest).toBeGreaterThan(-1);
      expect(copied, manifest).toBeLessThan(install);
    }
    expect(install).toBeLessThan(sources);
  });

  it('turns install scripts off through the environment, which the image npm honours', () => {
    expect(dockerfile).toMatch(/^ENV npm_config_ignore_scripts=true/m);
  });
});

describe('deploy/healthcheck.sh', () => {
  const run = promisify(execFile);
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((request, response) => {
      response.statusCode = request.url === '/health' ? 200 : 503;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const probe = (...args: string[]) => run(join(ROOT, 'deploy/healthcheck.sh'), args).then(() => 0, (error: { code: number }) => error.code);

  it('passes when /health answers 200', async () => {
    expect(await probe(String(port))).toBe(0);
  });

  it('fails on any other status and when nothing listens', async () => {
    expect(await probe(String(port), '/other')).not.toBe(0);
    server.close();
    expect(await probe(String(port))).not.toBe(0);
  });
});
