import { afterAll, afterEach, beforeAll } from 'vitest';
import { AdminClient } from '@rocketmq-shop/testing';
import { withFastTestSettings, type BrokerConfigFile } from '@rocketmq-shop/testing';
import { BrokerProcess } from '@rocketmq-shop/testing';
import { TestClients } from './clients';

/** A spec file's broker; `admin` and `clients` may be taken at load time, they follow the broker once it runs. */
export class BrokerHarness {
  #broker?: BrokerProcess;
  readonly admin = new AdminClient(this);
  readonly clients = new TestClients(this);

  get broker(): BrokerProcess {
    if (!this.#broker) throw new Error('the broker is started in beforeAll');
    return this.#broker;
  }

  get endpoint(): string {
    return this.broker.endpoint;
  }

  get adminUrl(): string {
    return this.broker.adminUrl;
  }

  async start(config: BrokerConfigFile): Promise<void> {
    this.#broker = await BrokerProcess.start(withFastTestSettings(config));
  }

  async dispose(): Promise<void> {
    await this.clients.shutdownAll();
    await this.#broker?.dispose();
  }
}

/**
 * One broker for the whole spec file, started in beforeAll with the fast test settings merged into `config`.
 * Clients created through `clients` are shut down after every test; the broker and its files after the file.
 */
export function useBroker(config: BrokerConfigFile): BrokerHarness {
  const harness = new BrokerHarness();
  beforeAll(() => harness.start(config));
  afterEach(() => harness.clients.shutdownAll());
  afterAll(() => harness.dispose());
  return harness;
}
