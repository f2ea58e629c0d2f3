import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { type SmokeApps, compile, prepareApps, specFilesIn } from './smoke/readme-app';

/** Packing, installing and compiling three apps is slow on a shared machine; the apps themselves are quick. */
const PREPARE_TIMEOUT_MS = 150_000;

const broker = useBroker({ topics: [{ name: 'order-created', type: 'TRANSACTION' }, { name: 'order-notified' }] });
let root = '';
let apps: SmokeApps;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rocketmq-transport-smoke-'));
  apps = await prepareApps(root);
  await Promise.all([compile(root, apps.packageApp), compile(root, apps.copyApp), compile(root, apps.esmApp)]);
}, PREPARE_TIMEOUT_MS);

afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

/** Starts the app's dist/main.js against the spec's broker; resolves with its base URL once it answers HTTP. */
async function startApp(app: string): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(app, 'dist', 'main.js')], {
    env: { ...process.env, PORT: String(port), ROCKETMQ_ENDPOINTS: broker.endpoint, ROCKETMQ_STARTUP_TIMEOUT_MS: '10000' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => child.exitCode === null && fetch(`${url}/orders/none`).then((r) => r.status === 404, () => false), {
    timeoutMs: 20_000,
    message: `the app in ${app} to answer HTTP`,
  }).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${output}`);
  });
  return { url, child, output: () => output };
}

async function stop(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  return exited;
}

describe.each([
  ['the packed package, installed', 'packageApp'],
  ['a copy of src', 'copyApp'],
  ['the packed package, installed, imported from ESM', 'esmApp'],
] as const)('the README quick start on %s, in an app as nest new makes it', (_way, which) => {
  it('publishes in a transaction, consumes, publishes from a handler and consumes again, then shuts down cleanly', async () => {
    const { url, child, output } = await startApp(apps[which]);
    const orderId = `o-${which}`;
    try {
      const created = await fetch(`${url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderId }) });
      expect(created.status).toBe(201);
      const order = await waitFor(
        async () => {
          const body = (await (await fetch(`${url}/orders/${orderId}`)).json()) as { orderId: string; notified: boolean };
          return body.notified ? body : undefined;
        },
        { message: `order ${orderId} notified through order-created and order-notified` },
      );
      expect(order).toEqual({ orderId, notified: true });
    } finally {
      const exit = await stop(child);
      // Shutdown hooks close the app, then Nest re-raises the signal.
      expect(exit.signal ?? exit.code, output()).toBe('SIGTERM');
    }
    expect(output()).not.toMatch(/ERROR/);
  });
});

it('src holds no test files (it is what the copy compiles)', async () => {
  expect(await specFilesIn(join(__dirname, '..', 'src'))).toEqual([]);
});
