import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { RawRpc } from './support/raw-rpc';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'settings');
const customized = topology.group('settings-customized', { maxAttempts: 5, retryPolicy: { type: 'customized', delaysMs: [1000, 5000, 30_000] } });
const exponential = topology.group('settings-exponential', { maxAttempts: 4, retryPolicy: { type: 'exponential', initialMs: 2000, maxMs: 20_000, multiplier: 3 } });
const harness = useBroker(topology.toConfig());

async function backoffFor(group: string, userAgent: { language: string; version: string }) {
  const rpc = new RawRpc(harness.endpoint);
  try {
    const reply = (await rpc.settings({
      clientType: 'SIMPLE_CONSUMER',
      userAgent,
      subscription: { group: { name: group }, subscriptions: [{ topic: { name: topic }, expression: { type: 'TAG', expression: '*' } }] },
    })) as { status: { code: string }; settings: { backoffPolicy: unknown } };
    expect(reply.status.code).toBe('OK');
    return reply.settings.backoffPolicy;
  } finally {
    rpc.close();
  }
}

const seconds = (s: number) => ({ seconds: s, nanos: 0 });

// The generic loader names the oneof member it decoded in `strategy`.
describe('consumer settings carry the group retry policy', () => {
  it.each([
    ['JAVA', '5.0.7'],
    ['PYTHON', '5.0.4'],
    ['NODE_JS', '1.0.9'],
  ])('a customized policy goes to a %s %s client as customized backoff, as the Java proxy sends it', async (language, version) => {
    expect(await backoffFor(customized, { language, version })).toEqual({ maxAttempts: 5, strategy: 'customizedBackoff', customizedBackoff: { next: [seconds(1), seconds(5), seconds(30)] } });
  });

  it.each([['1.0.8'], ['1.0.0'], ['']])('rocketmq-client-nodejs %s, which misreads customized backoff, gets the schedule as exponential', async (version) => {
    expect(await backoffFor(customized, { language: 'NODE_JS', version })).toEqual({
      maxAttempts: 5,
      strategy: 'exponentialBackoff',
      exponentialBackoff: { initial: seconds(1), max: seconds(30), multiplier: 2 },
    });
  });

  it.each([['JAVA'], ['NODE_JS']])('an exponential policy goes to a %s client unchanged', async (language) => {
    expect(await backoffFor(exponential, { language, version: '1.0.8' })).toEqual({
      maxAttempts: 4,
      strategy: 'exponentialBackoff',
      exponentialBackoff: { initial: seconds(2), max: seconds(20), multiplier: 3 },
    });
  });
});
