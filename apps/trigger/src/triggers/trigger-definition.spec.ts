import { describe, expect, it } from 'vitest';
import { TriggerDefinitionSchema } from './trigger-definition';

describe('TriggerDefinitionSchema', () => {
  it('fills in defaults', () => {
    expect(TriggerDefinitionSchema.parse({ name: 't', topic: 'message-processing', consumerGroup: 'fc', targetUrl: 'http://127.0.0.1:9000/fn' })).toMatchObject({
      filter: { tag: '*' },
      batchSize: 1,
      batchWindowMs: 0,
      timeoutMs: 10_000,
      retry: { maxAttempts: 16 },
    });
  });

  it.each([
    ['a batch above 32', { batchSize: 33 }],
    ['a URL that is not http(s)', { targetUrl: 'file:///etc/passwd' }],
    ['a group name RocketMQ refuses', { consumerGroup: 'a b' }],
    ['tag and sql together', { filter: { tag: 'A', sql: 'a = 1' } }],
    ['an unknown setting', { retries: 3 }],
  ])('refuses %s', (_, change) => {
    const base = { name: 't', topic: 'message-processing', consumerGroup: 'fc', targetUrl: 'http://127.0.0.1:9000/fn' };
    expect(TriggerDefinitionSchema.safeParse({ ...base, ...change }).success).toBe(false);
  });
});
