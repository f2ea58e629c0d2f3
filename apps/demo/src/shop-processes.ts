import type { ServiceSpec } from '@rocketmq-shop/testing';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * One process of the shop as `npm run demo` and docker-compose.yml run it; the ports are the ones
 * docs/adding-a-service.md documents. The one list both read, so they cannot disagree.
 */
export interface ShopProcess {
  app: string;
  /** INSTANCE_ID: the app name, or `<app>-<n>` for replicas (it names their broadcast groups). */
  instance: string;
  port: number;
  /** price-cache keeps its state in memory by design: compose gives it no DATABASE_URL. */
  usesDatabase: boolean;
}

/** The Apache RocketMQ proxy's gRPC port, so a service configured for one finds the other. */
export const BROKER_PORT = 8081;
export const BROKER_ADMIN_PORT = 8082;

function single(app: string, port: number): ShopProcess {
  return { app, instance: app, port, usesDatabase: true };
}

function replicas(app: string, count: number, firstPort: number): ShopProcess[] {
  return Array.from({ length: count }, (_, index) => ({ app, instance: `${app}-${index + 1}`, port: firstPort + index, usesDatabase: false }));
}

export const SHOP_PROCESSES: readonly ShopProcess[] = [
  single('registration', 3001),
  single('notification', 3002),
  single('order', 3003),
  single('inventory', 3004),
  ...replicas('price-cache', 3, 3011),
];

export function toServiceSpec(process: ShopProcess): ServiceSpec {
  return { app: process.app, instance: process.instance, port: process.port };
}

/** `apps/<app>` if its workspace package is linked (npm install), undefined if the app does not exist yet. */
export function appDir(app: string): string | undefined {
  try {
    return dirname(require.resolve(`@rocketmq-shop/${app}/package.json`));
  } catch {
    return undefined;
  }
}

export interface ShopSelection {
  present: ShopProcess[];
  /** Apps the demo runs without, each with the reason: not in the workspace yet, or no entry point built. */
  skipped: { app: string; reason: string }[];
}

/**
 * Splits the shop into the processes that can run and the apps that cannot yet. While the services are
 * being written, an app may lack its package or its `main.ts`; the demo runs without it and says so.
 * `DEMO_APPS=inventory,price-cache` runs a subset (a small machine, one scenario).
 */
export function selectShopProcesses(processes: readonly ShopProcess[] = SHOP_PROCESSES, env: NodeJS.ProcessEnv = process.env): ShopSelection {
  const chosen = env.DEMO_APPS ? new Set(env.DEMO_APPS.split(',').map((app) => app.trim())) : undefined;
  const present: ShopProcess[] = [];
  const skipped = new Map<string, string>();
  for (const process of processes) {
    const reason = chosen && !chosen.has(process.app) ? 'not in DEMO_APPS' : whyNotRunnable(process.app);
    if (reason) skipped.set(process.app, reason);
    else present.push(process);
  }
  return { present, skipped: [...skipped].map(([app, reason]) => ({ app, reason })) };
}

function whyNotRunnable(app: string): string | undefined {
  const dir = appDir(app);
  if (dir === undefined) return 'not in this workspace yet';
  // `npm run demo` builds every project first, so a missing entry point means the app has no main.ts yet.
  if (!existsSync(join(dir, 'dist/src/main.js'))) return 'no dist/src/main.js after the build (no main.ts yet?)';
  return undefined;
}
