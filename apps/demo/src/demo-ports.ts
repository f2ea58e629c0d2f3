import { envPrefix } from '@rocketmq-shop/testing';
import { BROKER_ADMIN_PORT, BROKER_PORT, CONSOLE_PORT, DEMO_CONTROL_PORT, type ShopProcess } from './shop-processes';

/** Where the demo's processes listen: the documented ports unless moved by a flag or the environment. */
export interface DemoPorts {
  broker: number;
  brokerAdmin: number;
  /** The demo's control API (faults enabled only). */
  demoControl: number;
  /** Per app (and `console`), the port of its first instance; replicas take the next ones. */
  apps: Record<string, number>;
}

/**
 * `--<name>-port <n>` (or `=<n>`) wins over `<NAME>_PORT` in the environment, which wins over the
 * documented port; names are `broker`, `broker-admin`, `demo-control`, `console` and every app (`price-cache` moves all three
 * replicas). Anything else on the command line is refused with the list of what is accepted.
 */
export function demoPorts(processes: readonly ShopProcess[], argv: readonly string[], env: NodeJS.ProcessEnv): DemoPorts {
  const notApps = new Map<string, number>([['broker', BROKER_PORT], ['broker-admin', BROKER_ADMIN_PORT], ['demo-control', DEMO_CONTROL_PORT]]);
  const defaults = new Map<string, number>([...notApps, ['console', CONSOLE_PORT]]);
  for (const { app, port } of processes) if (!defaults.has(app)) defaults.set(app, port);
  const flags = parseFlags(argv, [...defaults.keys()]);
  const portOf = (name: string): number => {
    const variable = `${envPrefix(name)}_PORT`;
    const raw = flags.get(name) ?? env[variable];
    if (raw === undefined || raw === '') return defaults.get(name)!;
    const port = Number(raw);
    if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`--${name}-port / ${variable} must be a port number (1-65535), got ${JSON.stringify(raw)}`);
    return port;
  };
  const apps = Object.fromEntries([...defaults.keys()].filter((name) => !notApps.has(name)).map((app) => [app, portOf(app)]));
  return { broker: portOf('broker'), brokerAdmin: portOf('broker-admin'), demoControl: portOf('demo-control'), apps };
}

/** The processes on the chosen ports: an app's replicas on consecutive ports from its first. */
export function placeProcesses(processes: readonly ShopProcess[], ports: DemoPorts): ShopProcess[] {
  const seen = new Map<string, number>();
  return processes.map((process) => {
    const index = seen.get(process.app) ?? 0;
    seen.set(process.app, index + 1);
    return { ...process, port: ports.apps[process.app] + index };
  });
}

function parseFlags(argv: readonly string[], names: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  const usage = () => `accepted: ${names.map((name) => `--${name}-port <n>`).join(', ')}`;
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)-port(?:=(.*))?$/.exec(argv[i]);
    if (!match || !names.includes(match[1])) throw new Error(`unknown argument ${JSON.stringify(argv[i])}; ${usage()}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]}-port needs a port number`);
    flags.set(match[1], value);
  }
  return flags;
}
