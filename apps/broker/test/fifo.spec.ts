import type { MessageOptions, MessageView, SimpleConsumer } from 'rocketmq-client-nodejs';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { sendAll } from './support/messaging';
import { TestTopology } from './support/names';

const LONG_GROUPS = 100;
const MESSAGES_PER_LONG_GROUP = 10;
const SINGLE_MESSAGE_GROUPS = 1000;
const CONSUMERS = 4;
const RECEIVE_INVISIBLE_MS = 5000;
/** The fast test settings' consumer.minInvisibleMs. */
const RETRY_INVISIBLE_MS = 1000;
const FAILURE_RATE = 0.03;
const CONSUME_DEADLINE_MS = 100_000;

const topology = new TestTopology();
const topic = topology.topic('FIFO', 'fifo-orders');
const group = topology.group('fifo-group', { fifo: true });
const { clients } = useBroker(topology.toConfig());

/** Message groups and how many messages each gets: a few long sequences, many single messages. */
function sendPlan(): Map<string, number> {
  const plan = new Map<string, number>();
  for (let i = 0; i < LONG_GROUPS; i++) plan.set(`user-${i}`, MESSAGES_PER_LONG_GROUP);
  for (let i = 0; i < SINGLE_MESSAGE_GROUPS; i++) plan.set(`single-${i}`, 1);
  return plan;
}

/** What the consumers saw, per message group: the next sequence number expected, violations, duplicates. */
class FifoAudit {
  readonly nextSeq = new Map<string, number>();
  readonly violations: string[] = [];
  readonly duplicates: string[] = [];
  readonly shardingKeyMismatches: string[] = [];
  /**
   * Acks in flight per message group. The broker may deliver a group's next message as soon as it has
   * applied the ack, and that delivery can reach another consumer before the ack's own answer reaches
   * this one: a message is judged only once the ack before it has settled.
   */
  private readonly acking = new Map<string, Promise<void>>();
  injectedFailures = 0;

  constructor(private readonly plan: Map<string, number>) {
    for (const messageGroup of plan.keys()) this.nextSeq.set(messageGroup, 0);
  }

  get complete(): boolean {
    return [...this.plan].every(([messageGroup, count]) => this.nextSeq.get(messageGroup) === count);
  }

  get processed(): number {
    return [...this.nextSeq.values()].reduce((sum, next) => sum + next, 0);
  }

  /** Handles one received batch in order, as an application would; failures are injected at random. */
  async consume(consumer: SimpleConsumer, batch: MessageView[]): Promise<void> {
    const failedGroups = new Set<string>();
    for (const message of batch) {
      const messageGroup = message.messageGroup ?? '';
      const seq = Number(message.properties.get('seq'));
      if (message.properties.get('__SHARDINGKEY') !== messageGroup) this.shardingKeyMismatches.push(message.messageId);
      // A later message of a group whose earlier message just failed must wait for that one.
      if (failedGroups.has(messageGroup)) continue;
      await this.acking.get(messageGroup);
      const expected = this.nextSeq.get(messageGroup) ?? 0;
      if (seq < expected) {
        this.duplicates.push(`${messageGroup}#${seq}`);
        await consumer.ack(message).catch(() => undefined);
        continue;
      }
      if (seq > expected) {
        this.violations.push(`${messageGroup}: got #${seq} while #${expected} was not processed`);
        failedGroups.add(messageGroup);
        continue;
      }
      if (Math.random() < FAILURE_RATE) {
        this.injectedFailures++;
        failedGroups.add(messageGroup);
        // Half of the failures just let the invisible time run out, half ask for an early retry.
        if (Math.random() < 0.5) await consumer.changeInvisibleDuration(message, RETRY_INVISIBLE_MS);
        continue;
      }
      const acked = consumer.ack(message).then(() => void this.nextSeq.set(messageGroup, seq + 1));
      const settled = acked.then(
        () => undefined,
        () => undefined,
      );
      this.acking.set(messageGroup, settled);
      try {
        await acked;
      } catch {
        failedGroups.add(messageGroup); // the invisible time ran out: it will come again
      } finally {
        if (this.acking.get(messageGroup) === settled) this.acking.delete(messageGroup);
      }
    }
  }
}

describe('FIFO topic with a FIFO consumer group', () => {
  it(
    'processes every message of 1100 message groups strictly in send order despite failures and concurrent receivers',
    async () => {
      const plan = sendPlan();
      const producer = await clients.producer({ topics: [topic] });
      const longest = Math.max(...plan.values());
      for (let seq = 0; seq < longest; seq++) {
        const round: MessageOptions[] = [...plan]
          .filter(([, count]) => seq < count)
          .map(([messageGroup]) => ({
            topic,
            messageGroup,
            body: Buffer.from(`${messageGroup}#${seq}`),
            properties: new Map([['seq', String(seq)]]),
          }));
        await sendAll(producer, round, 32);
      }
      const total = [...plan.values()].reduce((sum, count) => sum + count, 0);
      expect(total).toBe(2000);

      const audit = new FifoAudit(plan);
      const consumers = await Promise.all(Array.from({ length: CONSUMERS }, () => clients.simpleConsumer(group, { [topic]: '*' })));
      const deadline = Date.now() + CONSUME_DEADLINE_MS;
      await Promise.all(
        consumers.map(async (consumer) => {
          while (!audit.complete && Date.now() < deadline) {
            await audit.consume(consumer, await consumer.receive(32, RECEIVE_INVISIBLE_MS));
          }
        }),
      );

      expect(audit.violations).toEqual([]);
      expect(audit.shardingKeyMismatches).toEqual([]);
      expect(audit.duplicates).toEqual([]);
      expect(audit.injectedFailures).toBeGreaterThan(0);
      expect(audit.processed).toBe(total);
    },
    150_000,
  );
});
