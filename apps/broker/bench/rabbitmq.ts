import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { CONSUMER_IN_FLIGHT, pidsNamed, type Driver, type Sink } from './harness';

/**
 * RabbitMQ through amqplib: a durable quorum queue, persistent messages on a confirm channel, a consumer
 * with prefetch and manual acks. Publisher and consumer use separate connections, as RabbitMQ recommends.
 */
export class RabbitMqDriver implements Driver {
  readonly #queue = `broker-bench-${process.pid}-${Date.now()}`;
  readonly #connections: ChannelModel[] = [];
  #publisher: ConfirmChannel | undefined;

  constructor(private readonly url: string) {}

  async open(sink: Sink): Promise<void> {
    const publishing = await this.#connect();
    this.#publisher = await publishing.createConfirmChannel();
    await this.#publisher.assertQueue(this.#queue, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    const consumer = await (await this.#connect()).createChannel();
    consumer.on('error', (error: Error) => sink.fail(error));
    await consumer.prefetch(CONSUMER_IN_FLIGHT);
    await consumer.consume(this.#queue, (message) => {
      if (!message) return sink.fail(new Error('the consumer was cancelled by the server'));
      sink.deliver(message.content);
      consumer.ack(message);
    });
  }

  publish(body: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#publisher!.sendToQueue(this.#queue, body, { persistent: true }, (error: unknown) => (error ? reject(error) : resolve()));
    });
  }

  serverPids(): number[] {
    return pidsNamed('beam.smp');
  }

  async close(): Promise<void> {
    try {
      await this.#publisher?.deleteQueue(this.#queue);
    } catch {
      // the connection is gone: nothing more can be cleaned up from here
    }
    await Promise.all(this.#connections.map((connection) => connection.close().catch(() => undefined)));
  }

  async #connect(): Promise<ChannelModel> {
    const connection = await connect(this.url);
    connection.on('error', () => undefined); // reported through the channels; the process must not crash
    this.#connections.push(connection);
    return connection;
  }
}
