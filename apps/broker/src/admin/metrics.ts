import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { MessageTrail } from './message-trail';

export interface LagRow {
  topic: string;
  group: string;
  backlog: number;
}

/** Prometheus metrics of the broker, named after RocketMQ 5's own (rocketmq_*) where one exists. */
export class BrokerMetrics {
  readonly registry = new Registry();

  readonly messagesIn = new Counter({
    name: 'rocketmq_messages_in_total',
    help: 'Messages accepted from producers',
    labelNames: ['topic', 'message_type'] as const,
    registers: [this.registry],
  });

  readonly messagesOut = new Counter({
    name: 'rocketmq_messages_out_total',
    help: 'Messages delivered to consumers (redeliveries included)',
    labelNames: ['topic', 'consumer_group'] as const,
    registers: [this.registry],
  });

  readonly acks = new Counter({
    name: 'rocketmq_acks_total',
    help: 'Messages acknowledged by consumers',
    labelNames: ['topic', 'consumer_group'] as const,
    registers: [this.registry],
  });

  readonly deadLettered = new Counter({
    name: 'rocketmq_dead_lettered_total',
    help: 'Messages moved to %DLQ%<group>',
    labelNames: ['topic', 'consumer_group'] as const,
    registers: [this.registry],
  });

  readonly sendLatency = new Histogram({
    name: 'rocketmq_send_latency_seconds',
    help: 'SendMessage time until the records are durable',
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
    registers: [this.registry],
  });

  readonly transactionChecks = new Counter({
    name: 'rocketmq_transaction_checks_total',
    help: 'Check-back commands sent for unresolved half messages',
    registers: [this.registry],
  });

  readonly corruptRecords = new Counter({
    name: 'rocketmq_storage_corrupt_records_total',
    help: 'Damaged stretches of storage found by recovery or reads (their records are lost; GET /storage lists them)',
    registers: [this.registry],
  });

  readonly expired = new Counter({
    name: 'rocketmq_messages_expired_total',
    help: 'Messages deleted by retention before this group consumed them',
    labelNames: ['topic', 'consumer_group'] as const,
    registers: [this.registry],
  });

  readonly throttled = new Counter({
    name: 'rocketmq_throttled_sends_total',
    help: 'Messages refused with TOO_MANY_REQUESTS by flow control',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly lag: Gauge<'topic' | 'consumer_group'>;
  /** The newest deliveries, acks and dead-letterings per message and group (GET /messages/:id/trail). */
  readonly trail = new MessageTrail();
  /** Labelled children by topic and type: counting a message must not hash its labels every time. */
  private readonly receivedCounters = new Map<string, { inc(): void }>();

  /** One message accepted (per message, so the child counter is cached). */
  received(topic: string, messageType: string): void {
    const key = `${topic}\u0000${messageType}`;
    let counter = this.receivedCounters.get(key);
    if (!counter) this.receivedCounters.set(key, (counter = this.messagesIn.labels({ topic, message_type: messageType })));
    counter.inc();
  }

  constructor(lagSource: () => LagRow[] = () => []) {
    this.lag = new Gauge({
      name: 'rocketmq_consumer_lag_messages',
      help: 'Messages not yet acknowledged by a consumer group',
      labelNames: ['topic', 'consumer_group'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const { topic, group, backlog } of lagSource()) this.set({ topic, consumer_group: group }, backlog);
      },
    });
  }
}
