import 'reflect-metadata';
import { type INestMicroservice, Logger, type LogLevel, Module, type ModuleMetadata, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, Payload } from '@nestjs/microservices';
import { ClientRocketMQ, type RocketMQClientOptions, type RocketMQServerOptions, ServerRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { afterEach } from 'vitest';

const LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
const TEST_LOG = process.env.TEST_LOG as LogLevel | undefined;
/** `TEST_LOG=warn` (or `log`, `debug`, …) shows the transport's logs up to that level; tests are quiet otherwise. */
const LOG_LEVELS: LogLevel[] | false = TEST_LOG && LEVELS.includes(TEST_LOG) ? LEVELS.slice(0, LEVELS.indexOf(TEST_LOG) + 1) : false;
// Clients log through Nest's static logger too, also when no app has been created yet.
Logger.overrideLogger(LOG_LEVELS);

/** A module class from metadata, so each spec declares only its controllers and providers. */
export function moduleOf(metadata: ModuleMetadata): Type {
  class TestModule {}
  Module(metadata)(TestModule);
  return TestModule;
}

export interface RunningServer {
  app: INestMicroservice;
  server: ServerRocketMQ;
}

type Closable = { close(): Promise<unknown> };

/**
 * Starts Nest microservices on ServerRocketMQ and ClientRocketMQ clients against the spec's broker,
 * and closes whatever a test left open after it.
 */
export class Apps {
  private readonly open: Closable[] = [];

  constructor(private readonly endpoint: () => string) {}

  async server(module: Type, options: Partial<RocketMQServerOptions> = {}): Promise<RunningServer> {
    // Short long polls: close() waits for the receive in progress, up to awaitDurationMs.
    const handlerDefaults = { awaitDurationMs: 1000, ...options.handlerDefaults };
    const server = new ServerRocketMQ({ endpoints: this.endpoint(), startupTimeoutMs: 10_000, ...options, handlerDefaults });
    const app = await NestFactory.createMicroservice(module, { strategy: server, logger: LOG_LEVELS });
    this.open.push(app);
    await app.listen();
    return { app, server };
  }

  async client(options: Partial<RocketMQClientOptions> = {}): Promise<ClientRocketMQ> {
    const client = new ClientRocketMQ({ endpoints: this.endpoint(), startupTimeoutMs: 10_000, ...options });
    this.open.push(client);
    await client.connect();
    return client;
  }

  /** Closes in reverse order of opening; a close that fails does not keep the others open. */
  async closeAll(): Promise<void> {
    const errors: unknown[] = [];
    for (const closable of this.open.splice(0).reverse()) await closable.close().catch((error: unknown) => errors.push(error));
    if (errors.length > 0) throw new AggregateError(errors, 'closing test apps failed');
  }
}

export function useApps(broker: { readonly endpoint: string }): Apps {
  const apps = new Apps(() => broker.endpoint);
  afterEach(() => apps.closeAll());
  return apps;
}

/** A method decorator, optionally followed by the decorators of its parameters 0, 1, … */
export type MethodDecorators = MethodDecorator | readonly [MethodDecorator, ...ParameterDecorator[]];

/** `[pattern, @Payload(), @Ctx()]`: a handler `(data, context)`. */
export const handler = (pattern: MethodDecorator): MethodDecorators => [pattern, Payload(), Ctx()];

/**
 * Applies decorators by call. Vite's transformer (Oxc) finds no tsconfig.json for this project and
 * leaves decorator syntax in place, which Node cannot run; the project's vitest config would need
 * `oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } }` for `@` syntax in specs.
 */
export function decorate<T extends object>(type: Type<T>, classDecorator: ClassDecorator, methods: { [K in keyof T]?: MethodDecorators }): Type<T> {
  for (const [name, decorators] of Object.entries(methods) as [string, MethodDecorators][]) {
    const [method, ...params] = typeof decorators === 'function' ? [decorators] : decorators;
    params.forEach((param, index) => param(type.prototype, name, index));
    Reflect.decorate([method], type.prototype, name, Object.getOwnPropertyDescriptor(type.prototype, name));
  }
  Reflect.decorate([classDecorator], type);
  return type;
}
