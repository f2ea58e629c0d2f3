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
 * producer must declare those topics), connects at bootstrap so orphaned half messages of a previous
 * run are resolved at once, and closes the client on shutdown.
 */
@Injectable()
class RocketMQClientLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly client: ClientRocketMQ,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance))) {
        const topic = this.reflector.get<string | undefined>(ROCKETMQ_TRANSACTION_CHECK, instance[method] as Function);
        if (topic) this.client.registerTransactionCheck(topic, (instance[method] as TransactionCheck).bind(instance));
      }
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.client.connect();
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
