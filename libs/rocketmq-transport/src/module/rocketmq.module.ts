import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { ModuleMetadata } from '@nestjs/common/interfaces';
import { DiscoveryModule, DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ClientRocketMQ, type TransactionCheck } from '../client/client-rocketmq';
import { ROCKETMQ_TRANSACTION_CHECK } from '../decorators/rocketmq-patterns.decorator';
import type { RocketMQClientOptions } from '../rocketmq.options';

export const ROCKETMQ_CLIENT_OPTIONS = Symbol('ROCKETMQ_CLIENT_OPTIONS');

export interface RocketMQModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: (string | symbol | Function)[];
  useFactory: (...args: never[]) => RocketMQClientOptions | Promise<RocketMQClientOptions>;
}

/**
 * Registers every `@RocketMQTransactionChecker` method with the client before it connects (the
 * producer must declare those topics), connects at bootstrap (unless `lazyConnect`) so orphaned half
 * messages of a previous run are resolved at once, and closes the client on shutdown.
 */
@Injectable()
class RocketMQClientLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly client: ClientRocketMQ,
    @Inject(ROCKETMQ_CLIENT_OPTIONS) private readonly options: RocketMQClientOptions,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  /**
   * Checkers on providers and controllers alike. A check-back belongs to no request, so a checker on a
   * request-scoped or transient class fails the start instead of never being asked.
   */
  onModuleInit(): void {
    for (const wrapper of [...this.discovery.getProviders(), ...this.discovery.getControllers()]) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      const prototype = (instance ? Object.getPrototypeOf(instance) : (wrapper.metatype as Function | null | undefined)?.prototype) as Record<string, unknown> | undefined;
      if (!prototype || typeof prototype !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const topic = this.reflector.get<string | undefined>(ROCKETMQ_TRANSACTION_CHECK, prototype[method] as Function);
        if (!topic) continue;
        if (!wrapper.isDependencyTreeStatic() || !instance) {
          throw new Error(`@RocketMQTransactionChecker('${topic}') on ${String(wrapper.name)}.${method}: the class must be a singleton provider or controller, a check-back has no request scope`);
        }
        this.client.registerTransactionCheck(topic, (instance[method] as TransactionCheck).bind(instance));
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.lazyConnect) await this.client.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.close();
  }
}

@Module({})
export class RocketMQModule {
  static forRoot(options: RocketMQClientOptions): DynamicModule {
    return RocketMQModule.forRootAsync({ useFactory: () => options });
  }

  /**
   * The module around a client you made, e.g. a `RocketMQTestClient` in unit tests: transaction
   * checkers are registered with it and it is connected and closed with the app, as with forRoot.
   */
  static forClient(client: ClientRocketMQ, options: Pick<RocketMQClientOptions, 'lazyConnect'> = {}): DynamicModule {
    return {
      module: RocketMQModule,
      global: true,
      imports: [DiscoveryModule],
      providers: [{ provide: ROCKETMQ_CLIENT_OPTIONS, useValue: { endpoints: 'unused', ...options } }, { provide: ClientRocketMQ, useValue: client }, RocketMQClientLifecycle],
      exports: [ClientRocketMQ, ROCKETMQ_CLIENT_OPTIONS],
    };
  }

  static forRootAsync(options: RocketMQModuleAsyncOptions): DynamicModule {
    return {
      module: RocketMQModule,
      global: true,
      imports: [DiscoveryModule, ...(options.imports ?? [])],
      providers: [
        { provide: ROCKETMQ_CLIENT_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        { provide: ClientRocketMQ, inject: [ROCKETMQ_CLIENT_OPTIONS], useFactory: (o: RocketMQClientOptions) => new ClientRocketMQ(o) },
        RocketMQClientLifecycle,
      ],
      exports: [ClientRocketMQ, ROCKETMQ_CLIENT_OPTIONS],
    };
  }
}

/** Injects the module's client: `constructor(@InjectRocketMQ() private readonly mq: ClientRocketMQ)`. */
export const InjectRocketMQ = () => Inject(ClientRocketMQ);
