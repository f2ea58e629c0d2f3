import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { serviceConfig } from '../src';

describe('serviceConfig', () => {
  it('uses the caller defaults when the environment says nothing', () => {
    const config = serviceConfig('registration', 3001, {});
    expect(config).toMatchObject({ name: 'registration', host: '127.0.0.1', port: 3001, logLevel: 'info' });
    expect(config.instanceId).toMatch(new RegExp(`-${process.pid}$`));
  });

  it('reads <NAME>_PORT and <NAME>_HOST with dashes turned into underscores', () => {
    const env = { PRICE_CACHE_PORT: '4010', PRICE_CACHE_HOST: '0.0.0.0', REGISTRATION_PORT: '1' };
    expect(serviceConfig('price-cache', 3005, env)).toMatchObject({ port: 4010, host: '0.0.0.0' });
  });

  it('reads LOG_LEVEL and INSTANCE_ID', () => {
    const config = serviceConfig('order', 3002, { LOG_LEVEL: 'debug', INSTANCE_ID: 'order-2' });
    expect(config).toMatchObject({ logLevel: 'debug', instanceId: 'order-2' });
  });

  it('derives an instance id that is safe inside a consumer group name', () => {
    const { instanceId } = serviceConfig('order', 3002, {});
    expect(instanceId).toMatch(/^[A-Za-z0-9_-]{1,40}$/);
    expect(instanceId.startsWith(hostname().replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 30))).toBe(true);
  });

  it.each([
    [{ ORDER_PORT: 'http' }, /ORDER_PORT must be a port number/],
    [{ ORDER_PORT: '70000' }, /ORDER_PORT must be a port number/],
    [{ ORDER_PORT: '3.5' }, /ORDER_PORT must be a port number/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of fatal, error/],
    [{ INSTANCE_ID: 'pod.example.com' }, /INSTANCE_ID must match/],
    [{ INSTANCE_ID: 'x'.repeat(41) }, /INSTANCE_ID must match/],
  ])('rejects %j with a message naming the variable', (env, message) => {
    expect(() => serviceConfig('order', 3002, env)).toThrow(message);
  });

  it('rejects service names that cannot prefix an env variable', () => {
    expect(() => serviceConfig('Order Service', 1, {})).toThrow(/invalid service name/);
  });
});
