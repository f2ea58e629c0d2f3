import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { RawRpc } from './support/raw-rpc';
import { TestTopology } from './support/names';

const MAX_SESSIONS = 50;
const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'sessions');
const harness = useBroker(topology.toConfig({ limits: { maxClientSessions: MAX_SESSIONS } }));

describe('client sessions are bounded', () => {
  it(`a flood of heartbeats with made-up client ids keeps at most ${MAX_SESSIONS} sessions, and a connected producer keeps its own`, async () => {
    const producer = await harness.clients.producer({ topics: [topic] });
    const rpc = new RawRpc(harness.endpoint);
    try {
      for (let batch = 0; batch < 10; batch++) {
        const beats = Array.from({ length: 50 }, (_, i) => rpc.unary('Heartbeat', {}, { 'x-mq-client-id': `flood-${batch}-${i}` }));
        expect((await Promise.all(beats)).every((answer) => answer.status.code === 'OK')).toBe(true);
      }
    } finally {
      rpc.close();
    }
    const sessions = (await harness.admin.get<{ clientId: string }[]>('/clients')).body;
    expect(sessions.length).toBeLessThanOrEqual(MAX_SESSIONS);
    expect(sessions.map((session) => session.clientId)).toContain(producer.clientId);
    expect(sessions.map((session) => session.clientId)).toContain('flood-9-49');
    expect((await producer.send({ topic, body: Buffer.from('still served') })).messageId).toBeTruthy();
  });

  it('settings declaring more than 1000 topics are refused with BAD_REQUEST, and the session keeps none of them', async () => {
    const rpc = new RawRpc(harness.endpoint);
    try {
      const topics = Array.from({ length: 1001 }, (_, i) => ({ name: `declared-${i}` }));
      const reply = (await rpc.settings({ clientType: 'PRODUCER', publishing: { topics } })) as { status: { code: string } };
      expect(reply.status.code).toBe('BAD_REQUEST');
      const session = (await harness.admin.get<{ clientId: string; topics?: string[] }[]>('/clients')).body.find((s) => s.clientId === rpc.clientId);
      expect(session?.topics ?? []).toEqual([]);
    } finally {
      rpc.close();
    }
  });
});
