import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { Broker } from '../src/broker';
import { CLIENT_MAX_RESPONSE_BYTES, loadConfig } from '../src/config/broker-config';
import type { MessageDraft } from '../src/messaging/message';
import { useBroker } from './support/harness';
import { bodyText, receiveCount } from './support/messaging';
import { TestTopology } from './support/names';

const topology = new TestTopology();
const topic = topology.topic('FIFO', 'unreceivable');
const group = topology.group('unreceivable-fifo', { fifo: true });
const harness = useBroker(topology.toConfig());
const { clients, admin } = harness;

function fifoDraft(messageId: string, body: Buffer): MessageDraft {
  return { topic, messageId, type: 'FIFO', messageGroup: 'user-1', keys: [], properties: {}, bornAt: Date.now(), bornHost: 'older-broker', gzip: false, body, digest: '' };
}

/**
 * Stores messages as a broker without today's body limit did: straight into the stopped broker's data
 * directory, through its core (the send path refuses such a body), then starts the broker again.
 */
async function storeBehindTheBodyLimit(drafts: MessageDraft[]): Promise<void> {
  const { broker } = harness;
  await broker.stop();
  const config = loadConfig(['--data-dir', broker.dataDir, '--config', broker.configPath], {});
  const core = await Broker.open(config, { logger: pino({ level: 'silent' }), checkTransaction: () => false });
  try {
    const results = await core.producing.sendAll(drafts);
    expect(results.filter((result) => result instanceof Error)).toEqual([]);
  } finally {
    await core.close();
  }
  await broker.restart();
}

describe('a stored message too large for the official client to receive', () => {
  it('is dead-lettered at delivery with the reason, and its FIFO message group goes on', async () => {
    await storeBehindTheBodyLimit([fifoDraft('TOO-LARGE', Buffer.alloc(CLIENT_MAX_RESPONSE_BYTES, 'x')), fifoDraft('NEXT-IN-GROUP', Buffer.from('next'))]);

    const consumer = await clients.simpleConsumer(group, { [topic]: '*' });
    const [next] = await receiveCount(consumer, 1, { timeoutMs: 20_000 });
    expect([next.messageId, bodyText(next)]).toEqual(['NEXT-IN-GROUP', 'next']);

    const dlq = await admin.get<{ bodySize: number; deadLetterOf?: { messageId: string }; properties: Record<string, string> }[]>(`/groups/${group}/dlq`);
    expect(dlq.body.map((copy) => [copy.deadLetterOf?.messageId, copy.bodySize])).toEqual([['TOO-LARGE', CLIENT_MAX_RESPONSE_BYTES]]);
    expect(dlq.body[0].properties.DLQ_REASON).toMatch(new RegExp(`^a delivery of \\d+ bytes exceeds the ${CLIENT_MAX_RESPONSE_BYTES} bytes a client receives in one response$`));
  });
});
