import type { ServiceSpec } from '@rocketmq-shop/testing';

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
  /** Settings of this process only, the same in the demo and in compose. */
  env?: Record<string, string>;
}

/** The Apache RocketMQ proxy's gRPC port, so a service configured for one finds the other. */
export const BROKER_PORT = 8081;
export const BROKER_ADMIN_PORT = 8082;
/** apps/console: not a shop service (no RocketMQ client), the web page over the others' public APIs. */
export const CONSOLE_PORT = 3000;
/** The demo's own control API (stops and starts replicas), when faults are enabled. */
export const DEMO_CONTROL_PORT = 3090;

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
  // The function-trigger scenario: orders' OrderCreated notices POSTed to the trigger's own demo function.
  { app: 'trigger', instance: 'trigger', port: 3006, usesDatabase: false, env: { TRIGGER_DEMO_FUNCTION: 'true' } },
];

export function toServiceSpec(process: ShopProcess): ServiceSpec {
  return { app: process.app, instance: process.instance, port: process.port, env: process.env };
}

export interface ShopSelection {
  present: ShopProcess[];
  /** Apps the demo runs without (not in DEMO_APPS), each with the reason. */
  skipped: { app: string; reason: string }[];
}

/** `DEMO_APPS=inventory,price-cache` runs a subset (a small machine, one scenario); by default all of the shop. */
export function selectShopProcesses(processes: readonly ShopProcess[] = SHOP_PROCESSES, env: NodeJS.ProcessEnv = process.env): ShopSelection {
  const chosen = env.DEMO_APPS ? new Set(env.DEMO_APPS.split(',').map((app) => app.trim())) : undefined;
  const present = processes.filter((p) => !chosen || chosen.has(p.app));
  const skipped = [...new Set(processes.filter((p) => !present.includes(p)).map((p) => p.app))].map((app) => ({ app, reason: 'not in DEMO_APPS' }));
  return { present, skipped };
}
