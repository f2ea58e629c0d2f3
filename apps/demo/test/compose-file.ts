import { readFileSync } from 'node:fs';
import { join } from 'node:path';
// `yaml` is in node_modules through nx and vite, not a declared dependency of the workspace (yet).
import { parse } from 'yaml';

export interface ComposeService {
  image?: string;
  network_mode?: string;
  build?: { context: string; args?: Record<string, string> };
  profiles?: string[];
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  mem_limit?: string;
  stop_grace_period?: string;
}

export const ROOT = join(__dirname, '../../..');

/** `KEY=VALUE` lines of a Compose env file (comments and blank lines skipped). */
export function readEnvFile(path: string): Record<string, string> {
  const lines = readFileSync(join(ROOT, path), 'utf8').split('\n').filter((line) => line.trim() && !line.startsWith('#'));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/**
 * docker-compose.yml as Compose sees it with the given variables (`${NAME}` and `${NAME:-default}`
 * interpolated): the services the profiles in COMPOSE_PROFILES start, those without a profile included.
 */
export function activeServices(variables: Record<string, string> = {}): Record<string, ComposeService> {
  const text = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8').replace(/\$\{(\w+)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => variables[name] || (fallback ?? ''));
  const { services } = parse(text, { merge: true }) as { services: Record<string, ComposeService> };
  const profiles = (variables.COMPOSE_PROFILES ?? '').split(',').filter(Boolean);
  return Object.fromEntries(Object.entries(services).filter(([, service]) => !service.profiles || service.profiles.some((profile) => profiles.includes(profile))));
}
