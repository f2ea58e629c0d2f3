import { type DynamicModule, Inject, Injectable, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClientRocketMQ } from '../client/client-rocketmq';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay';

const OUTBOX_RELAY_OPTIONS = Symbol('OUTBOX_RELAY_OPTIONS');

/**
 * Runs the relay while the app runs. It starts at bootstrap, not when built: publishing left-over
 * rows connects the producer, which must wait until every transaction checker has registered
 * (module init).
 */
@Injectable()
class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;

  constructor(dataSource: DataSource, client: ClientRocketMQ, @Inject(OUTBOX_RELAY_OPTIONS) options: OutboxRelayOptions) {
    this.relay = new OutboxRelay(dataSource, client, options);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.relay.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.relay.stop();
  }
}

/** Import next to TypeOrmModule and RocketMQModule: `OutboxModule.forRoot()`. */
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxRelayOptions = {}): DynamicModule {
    return {
      module: OutboxModule,
      providers: [{ provide: OUTBOX_RELAY_OPTIONS, useValue: options }, OutboxRelayLifecycle],
    };
  }
}
