import { type RocketMQErrorPolicy, assertErrorPolicy } from './error-policy';

/** Options of one `@RocketMQEventPattern` handler; each handler is its own subscription. */
export interface RocketMQHandlerOptions {
  /** Consumer group (`[A-Za-z0-9_-]{1,60}`). Default: the server's `defaultGroup`. */
  group: string;
  /** TAG filter: `*`, `A`, or `A||B`. */
  tag?: string;
  /** SQL92 filter on user properties (and TAGS). Exclusive with `tag`. */
  sql?: string;
  /**
   * The group is FIFO on the broker: messages of one message group are handled one at a time, in
   * order; a failure holds its message group back until it succeeds or is dead-lettered.
   */
  fifo: boolean;
  /**
   * Every instance gets every message. RocketMQ 5 has no broadcast over gRPC, so each instance uses
   * its own group `<group>-<instanceId>` (ADR: broadcast emulation).
   */
  broadcast: boolean;
  /** Handler invocations in flight at once. */
  concurrency: number;
  /** Handler invocations started per second at most (peak shaving). Unlimited when undefined. */
  maxRatePerSecond?: number;
  /**
   * With `maxRatePerSecond`: starts are released in groups of up to this many, at the same average
   * rate — for a handler that decides what arrives together in one batch. Default 1 (one start per 1/rate).
   */
  paceInGroupsOf?: number;
  /** Deliveries before the message is dead-lettered (first delivery included). */
  maxAttempts: number;
  /**
   * What a failure leads to: retry, dead-letter or discard, fixed or per error. Default: HTTP 4xx
   * exceptions (validation failures) and `RocketMQNonRetriableError` are dead-lettered at once, the
   * rest retried (`defaultErrorAction`).
   */
  errorPolicy?: RocketMQErrorPolicy;
  /** Delay before retry n (1-based); the last entry repeats. */
  backoffMs: number[];
  /** How long a received message stays invisible; renewed while its handler runs. */
  invisibleDurationMs: number;
  /** Messages asked for per receive (≤ 32). */
  batchSize: number;
  /** Long-polling wait of one receive, ms (the proxy clamps to 5–20 s). */
  awaitDurationMs: number;
}

/** Apache RocketMQ's default retry schedule: 1s 5s 10s 30s 1m 2m … 10m 20m 30m 1h 2h. */
export const DEFAULT_BACKOFF_MS = [1, 5, 10, 30, 60, 120, 180, 240, 300, 360, 420, 480, 540, 600, 1200, 1800, 3600, 7200].map(
  (s) => s * 1000,
);

export const DEFAULT_HANDLER_OPTIONS: Omit<RocketMQHandlerOptions, 'group'> = {
  fifo: false,
  broadcast: false,
  concurrency: 16,
  maxAttempts: 17,
  backoffMs: DEFAULT_BACKOFF_MS,
  invisibleDurationMs: 30_000,
  batchSize: 32,
  awaitDurationMs: 5_000,
};

const NAME = /^[A-Za-z0-9_-]{1,60}$/;

export function resolveHandlerOptions(
  topic: string,
  extras: Partial<RocketMQHandlerOptions>,
  defaults: Partial<RocketMQHandlerOptions>,
  instanceId: string,
): RocketMQHandlerOptions {
  const options: RocketMQHandlerOptions = { ...DEFAULT_HANDLER_OPTIONS, ...defaults, ...extras } as RocketMQHandlerOptions;
  const where = `handler of topic ${topic}`;
  if (!NAME.test(topic)) throw new Error(`${where}: topic name must match [A-Za-z0-9_-]{1,60}`);
  if (!options.group) throw new Error(`${where}: no consumer group; set { group } on the handler or defaultGroup on the server`);
  if (options.broadcast) options.group = `${options.group}-${instanceId}`.slice(0, 60);
  if (!NAME.test(options.group)) throw new Error(`${where}: consumer group ${options.group} must match [A-Za-z0-9_-]{1,60}`);
  if (options.tag !== undefined && options.sql !== undefined) throw new Error(`${where}: use either tag or sql, not both`);
  for (const key of ['concurrency', 'maxAttempts', 'batchSize', 'invisibleDurationMs', 'awaitDurationMs'] as const) {
    if (!Number.isInteger(options[key]) || options[key] < 1) throw new Error(`${where}: ${key} must be a positive integer`);
  }
  if (options.maxRatePerSecond !== undefined && !(options.maxRatePerSecond > 0)) throw new Error(`${where}: maxRatePerSecond must be > 0`);
  if (options.paceInGroupsOf !== undefined) {
    if (!Number.isInteger(options.paceInGroupsOf) || options.paceInGroupsOf < 1) throw new Error(`${where}: paceInGroupsOf must be a positive integer`);
    if (options.maxRatePerSecond === undefined) throw new Error(`${where}: paceInGroupsOf needs maxRatePerSecond`);
  }
  if (options.backoffMs.length === 0 || options.backoffMs.some((ms) => !(ms >= 0))) throw new Error(`${where}: backoffMs needs non-negative delays`);
  assertErrorPolicy(options.errorPolicy, where);
  options.batchSize = Math.min(options.batchSize, 32);
  return options;
}

export function backoffFor(options: RocketMQHandlerOptions, attempt: number): number {
  return options.backoffMs[Math.min(attempt, options.backoffMs.length) - 1];
}
