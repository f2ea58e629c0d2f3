import { z } from 'zod';

const NAME = /^[A-Za-z0-9_-]{1,60}$/;
const name = (what: string) => z.string().regex(NAME, `${what} must match [A-Za-z0-9_-]{1,60}`);

/**
 * One trigger: the messages of `topic` that `consumerGroup` receives (optionally filtered) are POSTed
 * to `targetUrl` in batches, as a JSON array of function events. A 2xx answer acknowledges the batch;
 * anything else, or no answer within `timeoutMs`, makes every message of it retry after the backoff,
 * and a message that failed `maxAttempts` times goes to the group's dead-letter queue.
 */
export const TriggerDefinitionSchema = z
  .object({
    name: name('name'),
    topic: name('topic'),
    consumerGroup: name('consumerGroup'),
    filter: z
      .union([z.object({ tag: z.string().min(1).max(256) }).strict(), z.object({ sql: z.string().min(1).max(4096) }).strict()])
      .default({ tag: '*' }),
    /** Messages per POST at most (RocketMQ receives at most 32 at once). */
    batchSize: z.number().int().min(1).max(32).default(1),
    /** How long a batch waits to fill up, ms (0: what is at hand goes at once). */
    batchWindowMs: z.number().int().min(0).max(10_000).default(0),
    targetUrl: z.url({ protocol: /^https?$/ }),
    timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
    retry: z
      .object({
        maxAttempts: z.number().int().min(1).max(100).default(16),
        backoffMs: z.array(z.number().int().min(0).max(7_200_000)).min(1).max(64).default([1_000, 5_000, 10_000, 30_000, 60_000]),
      })
      .strict()
      .default({ maxAttempts: 16, backoffMs: [1_000, 5_000, 10_000, 30_000, 60_000] }),
    /** POSTs in flight at once. */
    concurrency: z.number().int().min(1).max(64).default(4),
  })
  .strict();

export type TriggerDefinition = z.output<typeof TriggerDefinitionSchema>;

export const TriggerFileSchema = z.object({ triggers: z.array(TriggerDefinitionSchema) }).strict();
