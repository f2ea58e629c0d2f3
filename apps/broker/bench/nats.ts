import { AckPolicy, connect, StorageType, type ConsumerMessages, type JetStreamClient, type NatsConnection } from 'nats';
import { CONSUMER_IN_FLIGHT, pidsNamed, type Driver, type Sink } from './harness';

/** NATS JetStream: a file-storage stream, publishes awaiting their PubAck, a durable pull consumer with explicit acks. */
export class NatsDriver implements Driver {
  readonly #stream = `broker_bench_${process.pid}_${Date.now()}`;
  readonly #subject = `broker-bench.${process.pid}.${Date.now()}`;
  #connection: NatsConnection | undefined;
  #js: JetStreamClient | undefined;
  #messages: ConsumerMessages | undefined;

  constructor(private readonly server: string) {}

  async open(sink: Sink): Promise<void> {
    this.#connection = await connect({ servers: this.server, timeout: 2000, reconnect: false });
    const manager = await this.#connection.jetstreamManager();
    await manager.streams.add({ name: this.#stream, subjects: [this.#subject], storage: StorageType.File });
    await manager.consumers.add(this.#stream, { durable_name: 'bench', ack_policy: AckPolicy.Explicit });
    this.#js = this.#connection.jetstream();
    const consumer = await this.#js.consumers.get(this.#stream, 'bench');
    this.#messages = await consumer.consume({
      max_messages: CONSUMER_IN_FLIGHT,
      callback: (message) => {
        sink.deliver(message.data);
        message.ack();
      },
    });
    void this.#messages.closed().then((error) => error && sink.fail(error));
  }

  async publish(body: Buffer): Promise<void> {
    await this.#js!.publish(this.#subject, body);
  }

  serverPids(): number[] {
    return pidsNamed('nats-server');
  }

  async close(): Promise<void> {
    this.#messages?.stop();
    if (!this.#connection) return;
    try {
      await (await this.#connection.jetstreamManager()).streams.delete(this.#stream);
    } catch {
      // the connection is gone: nothing more can be cleaned up from here
    }
    await this.#connection.close().catch(() => undefined);
  }
}
