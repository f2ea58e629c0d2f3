import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShopProcess } from '../shop-processes';
import { ControlServer } from './control-server';
import { ReplicaControl, type Supervised } from './replica-control';

/** A supervised process stand-in: takeDown/bringBack flip its state as RestartOnExit would. */
function fakeSupervised(app: string, instance: string, port: number): Supervised {
  let running = true;
  let takenDown = false;
  const process: ShopProcess = { app, instance, port, usesDatabase: false };
  return {
    process,
    isRunning: () => running,
    isTakenDown: () => takenDown,
    takeDown: async () => {
      running = false;
      takenDown = true;
    },
    bringBack: async () => {
      running = true;
      takenDown = false;
    },
  };
}

let server: ControlServer;

beforeAll(async () => {
  const processes = [fakeSupervised('registration', 'registration', 3001), fakeSupervised('price-cache', 'price-cache-1', 3011), fakeSupervised('price-cache', 'price-cache-2', 3012)];
  server = await ControlServer.start(new ReplicaControl(processes), 0);
});

afterAll(() => server.close());

async function call(method: string, path: string, body?: string): Promise<{ status: number; body: { message?: string } & Record<string, unknown> }> {
  const response = await fetch(`${server.url}${path}`, { method, body, headers: body === undefined ? undefined : { 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) as { message?: string } };
}

describe('the demo control API', () => {
  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('lists the processes, saying which are replicas', async () => {
    const { status, body } = await call('GET', '/processes');
    expect(status).toBe(200);
    expect(body).toEqual([
      { instance: 'registration', app: 'registration', url: 'http://127.0.0.1:3001', running: true, takenDown: false, replica: false },
      { instance: 'price-cache-1', app: 'price-cache', url: 'http://127.0.0.1:3011', running: true, takenDown: false, replica: true },
      { instance: 'price-cache-2', app: 'price-cache', url: 'http://127.0.0.1:3012', running: true, takenDown: false, replica: true },
    ]);
  });

  it('stops a replica and starts it again', async () => {
    expect(await call('PUT', '/processes/price-cache-2', '{"running":false}')).toEqual({
      status: 200,
      body: { instance: 'price-cache-2', app: 'price-cache', url: 'http://127.0.0.1:3012', running: false, takenDown: true, replica: true },
    });
    expect((await call('PUT', '/processes/price-cache-2', '{"running":true}')).body).toMatchObject({ running: true, takenDown: false });
  });

  it.each([
    ['a process that is no replica', '/processes/registration', '{"running":false}', 400, 'registration is not one of several replicas; only these can be stopped: price-cache-1, price-cache-2'],
    ['an unknown process', '/processes/price-cache-9', '{"running":false}', 404, 'no process price-cache-9; the demo runs registration, price-cache-1, price-cache-2'],
    ['a body without running', '/processes/price-cache-1', '{"runing":false}', 400, 'the body must be {"running": true} or {"running": false}'],
    ['a running that is not a boolean', '/processes/price-cache-1', '{"running":"no"}', 400, 'the body must be {"running": true} or {"running": false}'],
    ['a body that is not JSON', '/processes/price-cache-1', 'stop', 400, 'the body must be JSON: {"running": true} or {"running": false}'],
  ])('refuses %s', async (_case, path, body, status, message) => {
    expect(await call('PUT', path, body)).toEqual({ status, body: { statusCode: status, error: status === 404 ? 'Not Found' : 'Bad Request', message } });
  });

  it('answers 405 for another method and 404 for another path', async () => {
    expect((await call('DELETE', '/processes/price-cache-1')).status).toBe(405);
    expect((await call('POST', '/processes')).status).toBe(405);
    expect((await call('GET', '/faults')).status).toBe(404);
  });
});
