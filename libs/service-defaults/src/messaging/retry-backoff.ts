import type { RocketMQHandlerOptions } from '@rocketmq-shop/rocketmq-transport';
import { z } from 'zod';

const DelayList = z
  .string()
  .transform((list) => list.split(',').map((delay) => Number(delay.trim())))
  .pipe(z.array(z.number().int().nonnegative()).min(1));

/**
 * `<NAME>_RETRY_BACKOFF_MS` (e.g. `200` or `100,500,1000`): the retry delays of every handler of the
 * service. Unset, the transport's RocketMQ schedule applies (1 s, 5 s, 10 s, 30 s, …); tests shorten it.
 */
export function handlerRetries(serviceName: string, env: NodeJS.ProcessEnv = process.env): Partial<RocketMQHandlerOptions> {
  const variable = `${serviceName.toUpperCase().replace(/-/g, '_')}_RETRY_BACKOFF_MS`;
  const raw = env[variable];
  if (!raw) return {};
  const parsed = DelayList.safeParse(raw);
  if (!parsed.success) throw new Error(`${variable} must be comma-separated non-negative integers, got ${raw}`);
  return { backoffMs: parsed.data };
}
