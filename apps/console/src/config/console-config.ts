import { z } from 'zod';

/** Where the console finds the public APIs it shows; read once from the environment at start. */
export interface ConsoleConfig {
  /** `CONSOLE_BROKER_ADMIN_URL`: the broker's admin API, reached server-side (it listens on loopback). */
  brokerAdminUrl: string;
  /** `CONSOLE_BROKER_ACCESS_KEY` / `CONSOLE_BROKER_SECRET_KEY`: HTTP Basic for the admin API when the broker has auth on. */
  brokerCredentials?: { accessKey: string; secretKey: string };
  /** `CONSOLE_SERVICES`: `name=url` pairs, comma separated, e.g. `order=http://127.0.0.1:3003,trigger=http://127.0.0.1:3006`. */
  services: Record<string, string>;
  /** `CONSOLE_DEMO_CONTROL_URL`: the demo's control API (stops and starts replicas); only the demo sets it. */
  demoControlUrl?: string;
}

const httpUrl = z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, ''));
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,39}$/;

export function consoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const brokerAdminUrl = parse('CONSOLE_BROKER_ADMIN_URL', httpUrl, env.CONSOLE_BROKER_ADMIN_URL || 'http://127.0.0.1:8082');
  const accessKey = env.CONSOLE_BROKER_ACCESS_KEY;
  const secretKey = env.CONSOLE_BROKER_SECRET_KEY;
  if (Boolean(accessKey) !== Boolean(secretKey)) throw new Error('CONSOLE_BROKER_ACCESS_KEY and CONSOLE_BROKER_SECRET_KEY go together');
  return {
    brokerAdminUrl,
    brokerCredentials: accessKey && secretKey ? { accessKey, secretKey } : undefined,
    services: parseServices(env.CONSOLE_SERVICES ?? ''),
    demoControlUrl: env.CONSOLE_DEMO_CONTROL_URL ? parse('CONSOLE_DEMO_CONTROL_URL', httpUrl, env.CONSOLE_DEMO_CONTROL_URL) : undefined,
  };
}

function parseServices(text: string): Record<string, string> {
  const services: Record<string, string> = {};
  for (const pair of text.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    const separator = pair.indexOf('=');
    const name = pair.slice(0, separator);
    if (separator < 0 || !SERVICE_NAME.test(name)) throw new Error(`CONSOLE_SERVICES: ${JSON.stringify(pair)} is not <service name>=<http url>`);
    services[name] = parse(`CONSOLE_SERVICES (${name})`, httpUrl, pair.slice(separator + 1));
  }
  return services;
}

function parse<T>(variable: string, schema: z.ZodType<T>, value: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${variable} must be an http(s) URL, got ${JSON.stringify(value)}`);
  return parsed.data;
}
