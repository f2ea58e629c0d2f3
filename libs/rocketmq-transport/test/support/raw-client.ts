import { FilterExpression, type ILogger, Producer, SimpleConsumer } from 'rocketmq-client-nodejs';

/** The official client writes to ~/logs by default; tests and the bench keep it quiet. */
const quiet: ILogger = { info: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined, close: () => undefined };

/** The official Producer, started; for messages the transport would never publish (raw bodies). */
export async function rawProducer(endpoints: string, topics: string[] = []): Promise<Producer> {
  const producer = new Producer({ endpoints, namespace: '', topics, logger: quiet });
  await producer.startup();
  return producer;
}

/** The official SimpleConsumer of `group` on `topic` (every tag), started. */
export async function rawSimpleConsumer(endpoints: string, group: string, topic: string, awaitDurationMs = 1000): Promise<SimpleConsumer> {
  const consumer = new SimpleConsumer({
    endpoints,
    namespace: '',
    consumerGroup: group,
    subscriptions: new Map([[topic, new FilterExpression('*')]]),
    awaitDuration: awaitDurationMs,
    logger: quiet,
  });
  await consumer.startup();
  return consumer;
}
