import { Producer, SimpleConsumer, type ILogger } from 'rocketmq-client-nodejs';
import { BrokerChild } from './broker-child';
import { CONSUMER_IN_FLIGHT, withTimeout, type Driver, type Sink } from './harness';

export const TOPIC = 'bench';
const GROUP = 'bench-consumers';
export const QUEUES = 8;
const BATCH = 32;
const CONSUMERS = 2;
const LOOPS_PER_CONSUMER = CONSUMER_IN_FLIGHT / BATCH / CONSUMERS;
const INVISIBLE_MS = 30_000;
/** Long polling of an empty receive; the broker's minimum is 5 s by default. */
export const AWAIT_MS = 5_000;
export const STARTUP_MS = 20_000;
export const SHUTDOWN_MS = 15_000;
/** The client logs to ~/logs/rocketmq through egg-logger unless given a logger; failures surface as rejections. */
const quiet: ILogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The broker of apps/broker as a child process (fsync on), the official client's Producer and SimpleConsumers. */
export class RocketMqDriver implements Driver {
  readonly #broker: BrokerChild;
  #producer: Producer | undefined;
  readonly #consumers: SimpleConsumer[] = [];
  readonly #loops: Promise<void>[] = [];
  #stopping = false;

  /** @param nodeArgs extra node flags for the broker process, e.g. `--cpu-prof` */
  constructor(nodeArgs: string[]) {
    this.#broker = new BrokerChild({ topics: [{ name: TOPIC, queues: QUEUES, type: 'NORMAL' }] }, { nodeArgs });
  }

  async open(sink: Sink): Promise<void> {
    const endpoint = await this.#broker.start();
    const base = { endpoints: endpoint, namespace: '', logger: quiet };
    this.#producer = new Producer({ ...base, topics: [TOPIC] });
    await withTimeout(this.#producer.startup(), STARTUP_MS, 'producer startup');
    for (let i = 0; i < CONSUMERS; i++) {
      const consumer = new SimpleConsumer({ ...base, consumerGroup: GROUP, subscriptions: new Map([[TOPIC, '*']]), awaitDuration: AWAIT_MS });
      this.#consumers.push(consumer);
      await withTimeout(consumer.startup(), STARTUP_MS, 'simple consumer startup');
      for (let loop = 0; loop < LOOPS_PER_CONSUMER; loop++) this.#loops.push(this.#consume(consumer, sink));
    }
  }

  async publish(body: Buffer): Promise<void> {
    await this.#producer!.send({ topic: TOPIC, body });
  }

  serverPids(): number[] {
    return this.#broker.pid === undefined ? [] : [this.#broker.pid];
  }

  async close(): Promise<void> {
    this.#stopping = true;
    await withTimeout(Promise.all(this.#loops), AWAIT_MS + SHUTDOWN_MS, 'receive loops').catch(() => undefined);
    const clients = [...this.#consumers, ...(this.#producer ? [this.#producer] : [])];
    // shutdown() throws when the broker is gone; nothing is left to clean up on the client side then.
    await Promise.all(clients.map((client) => withTimeout(client.shutdown(), SHUTDOWN_MS, 'client shutdown').catch(() => undefined)));
    await this.#broker.stop();
  }

  async #consume(consumer: SimpleConsumer, sink: Sink): Promise<void> {
    while (!this.#stopping) {
      try {
        const messages = await consumer.receive(BATCH, INVISIBLE_MS);
        for (const message of messages) sink.deliver(message.body);
        await Promise.all(messages.map((message) => consumer.ack(message)));
      } catch (error) {
        if (!this.#stopping) sink.fail(error instanceof Error ? error : new Error(String(error)));
        return;
      }
    }
  }
}
