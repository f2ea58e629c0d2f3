import { z } from 'zod';

/** `variable` from the environment as a positive integer, `fallback` when unset; anything else is a start-up error. */
export function positiveIntegerEnv(variable: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const parsed = z.coerce.number().int().positive().safeParse(env[variable] ?? fallback);
  if (!parsed.success) throw new Error(`${variable} must be a positive integer, got ${env[variable]}`);
  return parsed.data;
}
