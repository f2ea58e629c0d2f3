import {
  FilterExpression,
  Producer,
  PushConsumer,
  SimpleConsumer,
  type ILogger,
  type MessageListener,
  type ProducerOptions,
  type PushConsumerOptions,
  type SimpleConsumerOptions,
} from 'rocketmq-client-nodejs';
import { ExponentialBackoff, FilterType, Publishing, RetryPolicy, Settings } from 'rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition_pb';

const STARTUP_TIMEOUT_MS = 20_000;
/** PushConsumer.shutdown drains receives for up to requestTimeout + long polling, then sleeps 1 s. */
const SHUTDOWN_TIMEOUT_MS = 30_000;
/** Long polling of SimpleConsumer.receive: short, so that an empty receive returns quickly. */
const TEST_AWAIT_DURATION_MS = 2000;

/** The client logs to ~/logs by default; tests keep it quiet unless ROCKETMQ_CLIENT_LOG is set (Transaction calls debug). */
const logger: ILogger = process.env.ROCKETMQ_CLIENT_LOG
  ? { info: console.info, warn: console.warn, error: console.error, debug: console.debug }
  : { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };

export type Subscriptions = Record<string, string | FilterExpression>;

interface Closable {
  shutdown(): Promise<void>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates official-client producers and consumers against one broker and shuts all of them down in
 * `shutdownAll()` (call it in afterEach/afterAll). Startup is bounded: 1.0.8 waits forever for settings.
 */
export class TestClients {
  readonly #clients: Closable[] = [];

  constructor(private readonly broker: { readonly endpoint: string }) {}

  async producer(options: Partial<ProducerOptions> = {}): Promise<Producer> {
    return this.#start(new Producer({ ...this.#base(), ...options }), 'producer startup');
  }

  async simpleConsumer(consumerGroup: string, subscriptions: Subscriptions, options: Partial<SimpleConsumerOptions> = {}): Promise<SimpleConsumer> {
    const consumer = new SimpleConsumer({
      ...this.#base(),
      awaitDuration: TEST_AWAIT_DURATION_MS,
      ...options,
      consumerGroup,
      subscriptions: new Map(Object.entries(subscriptions)),
    });
    return this.#start(consumer, `simple consumer ${consumerGroup} startup`);
  }

  async pushConsumer(
    consumerGroup: string,
    subscriptions: Subscriptions,
    messageListener: MessageListener,
    options: Partial<PushConsumerOptions> = {},
  ): Promise<PushConsumer> {
    const consumer = new PushConsumer({
      ...this.#base(),
      ...options,
      consumerGroup,
      subscriptions: new Map(Object.entries(subscriptions)),
      messageListener,
    });
    return this.#start(consumer, `push consumer ${consumerGroup} startup`);
  }

  /** Shuts every client down; 1.0.8 throws from shutdown() when the broker is gone, which is ignored here. */
  async shutdownAll(): Promise<void> {
    const clients = this.#clients.splice(0);
    await Promise.all(
      clients.map(async (client) => {
        try {
          await withTimeout(client.shutdown(), SHUTDOWN_TIMEOUT_MS, 'client shutdown');
        } catch {
          // the broker may be stopped or the client may never have started
        }
      }),
    );
  }

  #base() {
    return { endpoints: this.broker.endpoint, namespace: '', logger };
  }

  async #start<T extends Closable & { startup(): Promise<void> }>(client: T, what: string): Promise<T> {
    this.#clients.push(client);
    await withTimeout(client.startup(), STARTUP_TIMEOUT_MS, what);
    return client;
  }
}

/**
 * Turns off the producer's own checks (message type against the route, body size against the settings),
 * so that a send reaches the broker and the test observes the BROKER's validation.
 * The producer must have been started with `topics`, so the broker's settings reply has already arrived.
 */
export function disableClientSideChecks(producer: Producer): void {
  const override = new Settings()
    .setBackoffPolicy(new RetryPolicy().setMaxAttempts(1).setExponentialBackoff(new ExponentialBackoff().setMultiplier(1)))
    .setPublishing(new Publishing().setValidateMessageType(false).setMaxBodySize(64 * 1024 * 1024));
  producer.publishingSettings.sync(override);
}

export function sqlFilter(expression: string): FilterExpression {
  return new FilterExpression(expression, FilterType.SQL);
}
