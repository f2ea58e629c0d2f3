import 'reflect-metadata';
import { resolve } from 'node:path';
import { Controller, type INestMicroservice, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type CustomTransportStrategy, Payload } from '@nestjs/microservices';
import { BrokerChild } from './broker-child';
import { CONSUMER_IN_FLIGHT, withTimeout, type Driver, type Sink } from './harness';
import { AWAIT_MS, QUEUES, STARTUP_MS, TOPIC } from './rocketmq';

const GROUP = 'bench-transport';

/** What this driver uses of libs/rocketmq-transport. */
interface Transport {
  ServerRocketMQ: new (options: { endpoints: string; startupTimeoutMs: number }) => CustomTransportStrategy;
  ClientRocketMQ: new (options: { endpoints: string; topics: string[]; startupTimeoutMs: number }) => {
    connect(): Promise<unknown>;
    publishMessage(topic: string, data: Buffer): Promise<unknown>;
    close(): Promise<void>;
  };
  RocketMQEventPattern(topic: string, options: Record<string, unknown>): MethodDecorator;
}

/**
 * The transport's build, loaded at run time (`npm run bench:broker` builds it first): the broker's
 * own build does not depend on the transport, which depends on the broker for its tests.
 */
const loadTransport = (): Transport => require(resolve(__dirname, '../../../../libs/rocketmq-transport/dist/src/index.js')) as Transport;

/**
 * The same broker (child process, fsync on) through libs/rocketmq-transport as a service uses it:
 * `ClientRocketMQ.publishMessage` (batched SendMessage) and a Nest microservice on `ServerRocketMQ`
 * whose handler receives the body (batched receives and acks), with as many handlers in flight as
 * the other systems hold unacknowledged messages.
 */
export class TransportDriver implements Driver {
  readonly #broker: BrokerChild;
  #app: INestMicroservice | undefined;
  #client: InstanceType<Transport['ClientRocketMQ']> | undefined;

  /** @param main another broker build's main.js (BENCH_COMPARE_BROKER) */
  constructor(nodeArgs: string[], main?: string) {
    this.#broker = new BrokerChild({ topics: [{ name: TOPIC, queues: QUEUES, type: 'NORMAL' }] }, { nodeArgs, main });
  }

  async open(sink: Sink): Promise<void> {
    const endpoints = await this.#broker.start();
    const transport = loadTransport();
    Logger.overrideLogger(['error']);
    class BenchModule {}
    const strategy = new transport.ServerRocketMQ({ endpoints, startupTimeoutMs: STARTUP_MS });
    this.#app = await NestFactory.createMicroservice({ module: BenchModule, controllers: [handlerOf(transport, sink)] }, { strategy, logger: ['error'] });
    await withTimeout(this.#app.listen(), STARTUP_MS, 'transport server startup');
    this.#client = new transport.ClientRocketMQ({ endpoints, topics: [TOPIC], startupTimeoutMs: STARTUP_MS });
    await this.#client.connect();
  }

  async publish(body: Buffer): Promise<void> {
    await this.#client!.publishMessage(TOPIC, body);
  }

  serverPids(): number[] {
    return this.#broker.pid === undefined ? [] : [this.#broker.pid];
  }

  async close(): Promise<void> {
    await this.#client?.close().catch(() => undefined);
    await this.#app?.close().catch(() => undefined);
    await this.#broker.stop();
  }
}

/** A Nest controller whose one handler hands every body to the benchmark's sink. */
function handlerOf(transport: Transport, sink: Sink) {
  @Controller()
  class BenchHandler {
    @transport.RocketMQEventPattern(TOPIC, { group: GROUP, concurrency: CONSUMER_IN_FLIGHT, batchSize: 32, awaitDurationMs: AWAIT_MS })
    deliver(@Payload() body: Buffer): void {
      sink.deliver(body);
    }
  }
  return BenchHandler;
}
