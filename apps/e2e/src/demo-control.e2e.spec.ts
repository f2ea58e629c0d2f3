import { ManagedProcess, waitFor } from '@rocketmq-shop/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';
import { freePort, listening } from './support/ports';

// The demo's control API stops a price-cache replica and brings it back, as the console's failure
// catalogue does: supervision leaves the stopped replica down, the others converge without it, and
// once back it catches up with the latest price.

const DEMO_MAIN = join(__dirname, '../../demo/dist/src/main.js');
const SKU = 'MUG-CLASSIC';
const runDir = mkdtempSync(join(tmpdir(), 'demo-control-e2e-'));

interface ProcessView {
  instance: string;
  url: string;
  running: boolean;
  takenDown: boolean;
  replica: boolean;
}

let demo: ManagedProcess;
let control: string;
let inventory: string;

beforeAll(async () => {
  const names = ['broker', 'broker-admin', 'demo-control', 'console', 'inventory', 'price-cache'];
  const ports = new Map(await Promise.all(names.map(async (name) => [name, await freePort()] as const)));
  demo = new ManagedProcess({
    name: 'demo',
    command: process.execPath,
    args: [DEMO_MAIN, ...[...ports].flatMap(([name, port]) => [`--${name}-port`, String(port)])],
    cwd: runDir,
    env: { DEMO_APPS: 'inventory,price-cache' },
    readyWhen: { ready: /^(The shop is ready) / },
    readyTimeoutMs: 120_000,
  });
  await demo.start();
  control = `http://127.0.0.1:${ports.get('demo-control')}`;
  inventory = `http://127.0.0.1:${ports.get('inventory')}`;
});

afterAll(async () => {
  if (demo?.isRunning) await demo.stop();
  rmSync(runDir, { recursive: true, force: true });
});

const processes = () => getJson<ProcessView[]>(`${control}/processes`);
const replicaVersion = async (url: string) => (await requestJson<{ version: number }>('GET', `${url}/prices/${SKU}`)).body.version;

describe('demo control: a price-cache replica stopped and brought back', () => {
  it('keeps the stopped replica down while the others converge, and it converges once back', async () => {
    const replicas = (await processes()).filter((process) => process.replica);
    expect(replicas.map((process) => process.instance)).toEqual(['price-cache-1', 'price-cache-2', 'price-cache-3']);
    const [first, stopped, third] = replicas;
    const stoppedPort = Number(new URL(stopped.url).port);

    const stop = await requestJson<ProcessView>('PUT', `${control}/processes/${stopped.instance}`, { running: false });
    expect(stop).toMatchObject({ status: 200, body: { running: false, takenDown: true } });
    expect(await listening(stoppedPort)).toBe(false);

    const changed = await requestJson<{ version: number }>('PUT', `${inventory}/products/${SKU}/price`, { priceCents: 1234 });
    expect(changed.status).toBe(200);
    const latest = changed.body.version;
    await waitFor(async () => (await replicaVersion(first.url)) === latest && (await replicaVersion(third.url)) === latest, { message: `replicas 1 and 3 at version ${latest}` });

    // Supervision did not bring it back on its own, and said why it stays down.
    expect(await listening(stoppedPort)).toBe(false);
    expect(demo.output).toContain(`${stopped.instance} stopped on request (demo control)`);
    expect(demo.output).not.toContain(`${stopped.instance} exited`);
    expect((await processes()).find((process) => process.instance === stopped.instance)).toMatchObject({ running: false, takenDown: true });

    const start = await requestJson<ProcessView>('PUT', `${control}/processes/${stopped.instance}`, { running: true });
    expect(start).toMatchObject({ status: 200, body: { running: true, takenDown: false } });
    // It starts empty and asks inventory for a snapshot: the latest version arrives by messaging.
    await waitFor(async () => (await replicaVersion(stopped.url)) === latest, { message: `${stopped.instance} back at version ${latest}` });
  });

  it('refuses to stop a process that is no replica', async () => {
    const answer = await requestJson<{ message: string }>('PUT', `${control}/processes/inventory`, { running: false });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/^inventory is not one of several replicas/);
  });
});
