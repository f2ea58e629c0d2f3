import type { Broker } from '../broker';

type Labels = Record<string, string | number>;
interface CounterLike {
  get(): Promise<{ values: { value: number; labels: Labels }[] }>;
}

/**
 * What `GET /stats` answers: cumulative counters per topic and per group and topic (since the broker
 * started), with the current backlog, in-flight, retrying and dead-letter counts. A console samples it
 * every second or two and turns the counters into rates; nothing on the message path changes for it.
 */
export async function brokerStats(broker: Broker, now = Date.now()) {
  const { messagesIn, messagesOut, acks, deadLettered } = broker.metrics;
  const [received, delivered, acknowledged, dead] = await Promise.all([messagesIn, messagesOut, acks, deadLettered].map((counter) => totals(counter)));
  return {
    at: now,
    topics: broker.topics.list().map((topic) => ({
      name: topic.name,
      type: topic.type,
      queues: topic.queues.length,
      messages: topic.messageCount,
      in: received.get(topic.name) ?? 0,
      out: delivered.get(topic.name) ?? 0,
    })),
    groups: groupNames(broker).map((name) => {
      const group = broker.groups.get(name);
      const config = group?.config ?? broker.groups.configOf(name);
      return {
        name,
        fifo: config.fifo,
        maxAttempts: config.maxAttempts,
        deadLetters: broker.deadLetters.count(name),
        topics: [...(group?.subscriptions.values() ?? [])].map((subscription) => {
          const key = `${subscription.topic.name}\u0000${name}`;
          return { ...subscription.stats(now), out: delivered.get(key) ?? 0, acks: acknowledged.get(key) ?? 0, deadLettered: dead.get(key) ?? 0 };
        }),
      };
    }),
  };
}

/** Groups in use and groups only configured so far (declared for the shop, no consumer yet), by name. */
function groupNames(broker: Broker): string[] {
  const names = new Set([...broker.groups.list().map((group) => group.name), ...broker.groups.configs().map((config) => config.name)]);
  return [...names].sort();
}

/** A counter's values summed per topic, and per topic and consumer group. */
async function totals(counter: CounterLike): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  const add = (key: string, value: number) => sums.set(key, (sums.get(key) ?? 0) + value);
  for (const { value, labels } of (await counter.get()).values) {
    const topic = String(labels.topic);
    add(topic, value);
    if (labels.consumer_group !== undefined) add(`${topic}\u0000${String(labels.consumer_group)}`, value);
  }
  return sums;
}
