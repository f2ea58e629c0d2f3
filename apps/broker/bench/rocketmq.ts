import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Producer, SimpleConsumer, type ILogger } from 'rocketmq-client-nodejs';
import { CONSUMER_IN_FLIGHT, withTimeout, type Driver, type Sink } from './harness';

/** The compiled broker, next to this file's dist/bench directory. */
const BROKER_MAIN = resolve(__dirname, '../src/main.js');
const TOPIC = 'bench';
const GROUP = 'bench-consumers';
const QUEUES = 8;
const BATCH = 32;
const CONSUMERS = 2;
const LOOPS_PER_CONSUMER = CONSUMER_IN_FLIGHT / BATCH / CONSUMERS;
const INVISIBLE_MS = 30_000;
/** Long polling of an empty receive; the broker's minimum is 5 s by default. */
const AWAIT_MS = 5_000;
const STARTUP_MS = 20_000;
const SHUTDOWN_MS = 15_000;
/** The client logs to ~/logs/rocketmq through egg-logger unless given a logger; failures surface as rejections. */
const quiet: ILogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The broker of apps/broker as a child process (fsync on), the official client's Producer and SimpleConsumers. */
export class RocketMqDriver implements Driver {
  readonly #workDir = mkdtempSync(join(tmpdir(), 'broker-bench-'));
  #broker: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #producer: Producer | undefined;
  readonly #consumers: SimpleConsumer[] = [];
  readonly #loops: Promise<void>[] = [];
  #stopping = false;

  /** @param nodeArgs extra node flags for the broker process, e.g. `--cpu-prof` */
  constructor(private readonly nodeArgs: string[]) {}

  async open(sink: Sink): Promise<void> {
    const endpoint = await this.#startBroker();
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
    return this.#broker?.pid === undefined ? [] : [this.#broker.pid];
  }

  async close(): Promise<void> {
    this.#stopping = true;
    await withTimeout(Promise.all(this.#loops), AWAIT_MS + SHUTDOWN_MS, 'receive loops').catch(() => undefined);
    const clients = [...this.#consumers, ...(this.#producer ? [this.#producer] : [])];
    // shutdown() throws when the broker is gone; nothing is left to clean up on the client side then.
    await Promise.all(clients.map((client) => withTimeout(client.shutdown(), SHUTDOWN_MS, 'client shutdown').catch(() => undefined)));
    this.#broker?.kill('SIGTERM');
    await withTimeout(this.#exited, SHUTDOWN_MS, 'broker exit').catch(() => this.#broker?.kill('SIGKILL'));
    rmSync(this.#workDir, { recursive: true, force: true });
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

  /** Spawns the broker on free ports and resolves with its gRPC address once it printed its ready line. */
  #startBroker(): Promise<string> {
    const config = join(this.#workDir, 'broker.json');
    writeFileSync(config, JSON.stringify({ topics: [{ name: TOPIC, queues: QUEUES, type: 'NORMAL' }] }));
    const args = [...this.nodeArgs, BROKER_MAIN, '--port', '0', '--admin-port', '0', '--data-dir', join(this.#workDir, 'data'), '--config', config];
    const broker = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'warn' } });
    this.#broker = broker;
    this.#exited = new Promise((resolveExit) => broker.once('exit', () => resolveExit()));
    const ready = new Promise<string>((resolveReady, rejectReady) => {
      // stdout is read to the end so that the broker never blocks on a full pipe.
      createInterface({ input: broker.stdout! }).on('line', (line) => {
        const address = /^broker listening on (\S+)$/.exec(line)?.[1];
        if (address) resolveReady(address);
      });
      void this.#exited.then(() => rejectReady(new Error(`broker exited with code ${broker.exitCode}`)));
    });
    return withTimeout(ready, STARTUP_MS, 'broker startup');
  }
}
