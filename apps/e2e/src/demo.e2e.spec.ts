import { ManagedProcess, waitFor } from '@rocketmq-shop/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requestJson } from './support/http-json';
import { freePort, listening } from './support/ports';
import { newProfile } from './support/shop-users';

// `npm run demo` as a user runs it (the built apps/demo), on ports moved away from the defaults, with
// one service crashing under it.

const DEMO_MAIN = join(__dirname, '../../demo/dist/src/main.js');
const runDir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));

let demo: ManagedProcess | undefined;

afterAll(async () => {
  if (demo?.isRunning) await demo.stop();
  rmSync(runDir, { recursive: true, force: true });
});

describe('npm run demo', () => {
  it('runs on the ports given by flags and environment, prints the database URL, and restarts a service that crashed', async () => {
    const [brokerPort, adminPort, registrationPort, consolePort, controlPort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    demo = new ManagedProcess({
      name: 'demo',
      command: process.execPath,
      args: [DEMO_MAIN, '--broker-port', String(brokerPort), `--registration-port=${registrationPort}`, '--console-port', String(consolePort)],
      cwd: runDir,
      env: { DEMO_APPS: 'registration', BROKER_ADMIN_PORT: String(adminPort), DEMO_CONTROL_PORT: String(controlPort) },
      readyWhen: { ready: /^(The shop is ready) / },
      readyTimeoutMs: 120_000,
    });
    await demo.start();

    expect(demo.output).toMatch(new RegExp(`grpc 127\\.0\\.0\\.1:${brokerPort} +admin http://127\\.0\\.0\\.1:${adminPort}`));
    expect(demo.output).toMatch(/^ {2}postgres +postgres:\/\/\S+$/m);
    // One URL for the console, which answers with its page and reaches the broker's admin API.
    expect(demo.output.match(/Open the console: (\S+)/g)).toEqual([`Open the console: http://127.0.0.1:${consolePort}`]);
    expect((await requestJson('GET', `http://127.0.0.1:${consolePort}/health`)).status).toBe(200);
    const registration = `http://127.0.0.1:${registrationPort}`;
    expect((await requestJson('GET', `${registration}/health`)).status).toBe(200);
    expect((await requestJson('GET', `http://127.0.0.1:${adminPort}/health`)).status).toBe(200);

    // The demo turns the fault switches on; this one kills registration with SIGKILL mid-request.
    expect((await requestJson('PUT', `${registration}/faults`, { crashBetweenHalfAndCommitRate: 1 })).status).toBe(200);
    await requestJson('POST', `${registration}/users`, newProfile('demo-crash')).catch(() => undefined);

    await waitFor(() => /registration exited \(signal SIGKILL\); restarting it/.test(demo!.output) && /registration is back \(restart 1\)/.test(demo!.output), {
      timeoutMs: 60_000,
      message: () => `the demo to restart registration and say so:\n${demo!.output}`,
    });
    // Back on the same port, with the fault switch reset by the restart.
    expect((await requestJson('POST', `${registration}/users`, newProfile('demo-back'))).status).toBe(201);

    expect(await demo.stop()).toBe(0);
  });

  it('a second Ctrl-C stops the broker, the services and Postgres at once instead of leaving them running', async () => {
    // The whole shop, every port free: stopping it (services drain, then the broker, then Postgres) takes
    // long enough for the second signal to land while it is under way.
    const apps = ['broker', 'broker-admin', 'demo-control', 'console', 'registration', 'notification', 'order', 'inventory', 'price-cache', 'trigger'];
    const ports = new Map(await Promise.all(apps.map(async (app) => [app, await freePort()] as const)));
    demo = new ManagedProcess({
      name: 'demo',
      command: process.execPath,
      args: [DEMO_MAIN, ...[...ports].flatMap(([app, port]) => [`--${app}-port`, String(port)])],
      cwd: runDir,
      readyWhen: { ready: /^(The shop is ready) / },
      readyTimeoutMs: 120_000,
    });
    await demo.start();
    const postgresPort = Number(/^ {2}postgres +postgres:\/\/\S+:(\d+)\//m.exec(demo.output)?.[1]);
    const exited = demo.nextExit();
    // What a terminal does on Ctrl-C twice: the outer demo process relays each to the demo proper.
    process.kill(demo.pid!, 'SIGINT');
    // The first stop is under way once a service has closed its port; the broker and Postgres are still up then.
    await waitFor(async () => !(await listening(ports.get('registration')!)), { intervalMs: 5, message: 'registration stopped' });
    expect(await listening(postgresPort)).toBe(true);
    process.kill(demo.pid!, 'SIGINT');
    await exited;
    expect(demo.output).toContain('second stop signal: killing the broker, the services and Postgres at once');
    for (const port of [...ports.values(), postgresPort]) {
      await waitFor(async () => !(await listening(port)), { timeoutMs: 10_000, message: `port ${port} free again` });
    }
  });
});
