import { AdminClient, type BrokerConfigFile, BrokerProcess, withFastTestSettings } from '@rocketmq-shop/testing';
import { afterAll, beforeAll } from 'vitest';

export interface BrokerHandle {
  /** `host:port` of the gRPC endpoint. */
  readonly endpoint: string;
  readonly admin: AdminClient;
  /** SIGKILL the broker and start it again on the same port and data. */
  crashAndRestart(): Promise<void>;
  /** SIGKILL the broker; `restart()` brings it back on the same port and data. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

/** One broker process per spec file, with the fast test timings, started in beforeAll. */
export function useBroker(config: BrokerConfigFile): BrokerHandle {
  let broker: BrokerProcess | undefined;
  const running = () => {
    if (!broker) throw new Error('the broker starts in beforeAll; use it inside hooks and tests only');
    return broker;
  };
  beforeAll(async () => {
    broker = await BrokerProcess.start(withFastTestSettings(config));
  });
  afterAll(async () => {
    await broker?.dispose();
  });
  return {
    get endpoint() {
      return running().endpoint;
    },
    async crashAndRestart() {
      await running().kill();
      await running().restart();
    },
    kill: () => running().kill(),
    restart: () => running().restart(),
    admin: new AdminClient({
      get adminCredentials() {
        return running().adminCredentials;
      },
      get adminUrl() {
        return running().adminUrl;
      },
    }),
  };
}
