import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './broker-config';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function configFile(content: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'broker-config-'));
  dirs.push(dir);
  const path = join(dir, 'broker.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe('loadConfig ports', () => {
  it('keeps 8081 and 8082 by default', () => {
    expect(loadConfig([], {})).toMatchObject({ port: 8081, adminPort: 8082 });
  });

  it('moves the admin port with the gRPC port when only the gRPC port is chosen', () => {
    expect(loadConfig(['--port', '9876'], {})).toMatchObject({ port: 9876, adminPort: 9877 });
    expect(loadConfig([], { BROKER_PORT: '7000' })).toMatchObject({ port: 7000, adminPort: 7001 });
    expect(loadConfig(['--port', '0'], {})).toMatchObject({ port: 0, adminPort: 0 });
  });

  it('keeps an admin port chosen by flag, environment or config file', () => {
    expect(loadConfig(['--port', '9876', '--admin-port', '9000'], {})).toMatchObject({ port: 9876, adminPort: 9000 });
    expect(loadConfig(['--port', '9876'], { BROKER_ADMIN_PORT: '9100' })).toMatchObject({ adminPort: 9100 });
    expect(loadConfig(['--port', '9876', '--config', configFile({ adminPort: 9200 })], {})).toMatchObject({ adminPort: 9200 });
  });

  it('refuses a port out of range', () => {
    expect(() => loadConfig(['--port', '65536'], {})).toThrow(/invalid port 65536/);
  });
});

describe('loadConfig admin interface and limits', () => {
  it('puts the admin API on loopback unless a flag, the environment or the file says otherwise', () => {
    expect(loadConfig(['--host', '0.0.0.0'], {}).admin.host).toBe('127.0.0.1');
    expect(loadConfig(['--admin-host', '0.0.0.0'], {}).admin.host).toBe('0.0.0.0');
    expect(loadConfig([], { BROKER_ADMIN_HOST: '10.0.0.5' }).admin.host).toBe('10.0.0.5');
    expect(loadConfig(['--config', configFile({ admin: { host: '::1' } })], {}).admin.host).toBe('::1');
  });

  it('refuses a body limit the official Node client could not receive', () => {
    expect(loadConfig([], {}).limits.maxBodyBytes).toBe(4 * 1024 * 1024 - 32 * 1024);
    expect(() => loadConfig(['--config', configFile({ limits: { maxBodyBytes: 4 * 1024 * 1024 } })], {})).toThrow(/limits.maxBodyBytes 4194304 must be from 1 to 4161536/);
  });

  it.each([
    ['a user without a secret', { auth: { credentials: [{ accessKey: 'ak' }] } }, /auth user 1 must be/],
    ['rights given as a string', { auth: { credentials: [], users: [{ accessKey: 'ak', secretKey: 'sk', publish: 'orders' }] } }, /auth user 1 must be/],
    ['an admin flag that is not a boolean', { auth: { credentials: [], users: [{ accessKey: 'ak', secretKey: 'sk', admin: 'yes' }] } }, /auth user 1 must be/],
    ['one access key twice', { auth: { credentials: [{ accessKey: 'ak', secretKey: 'a' }], users: [{ accessKey: 'ak', secretKey: 'b' }] } }, /access key ak twice/],
    ['a clock skew below a second', { auth: { maxClockSkewMs: 10 } }, /maxClockSkewMs 10/],
    ['allowed hosts given as a string', { admin: { allowedHosts: 'broker' } }, /admin must be/],
  ])('refuses %s', (_, file, message) => {
    expect(() => loadConfig(['--config', configFile(file)], {})).toThrow(message);
  });
});
