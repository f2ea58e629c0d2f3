import { brokerGroups, brokerTopics } from '@rocketmq-shop/contracts';
import { type DatabaseHandle, resolveDatabase, startEmbeddedPostgres } from '@rocketmq-shop/postgres';
import type { BrokerConfigFile } from './broker-config';
import { BrokerProcess } from './broker-process';
import { consoleSpec } from './console-spec';
import { ServiceProcess, type ServiceSpec } from './service-process';

export interface StackOptions {
  services: ServiceSpec[];
  /** Merged over the shop's topics and groups (from libs/contracts). */
  broker?: BrokerConfigFile;
  /** gRPC and admin ports of the broker; 0 picks free ones. */
  brokerPort?: number;
  brokerAdminPort?: number;
  env?: NodeJS.ProcessEnv;
  /** Progress and service output, e.g. for the demo's console. */
  onLine?: (source: string, line: string) => void;
  /** An embedded Postgres of the stack's own even when DATABASE_URL is set, so that `database.restart` exists. */
  restartableDatabase?: boolean;
  /** Also runs apps/console (last, pointed at the broker and every service), as the service `console`. */
  console?: { port?: number; env?: NodeJS.ProcessEnv };
}

/**
 * The shop on one machine: Postgres (DATABASE_URL, or an embedded one), the embedded broker with the
 * shop's topics and groups, and the services as processes with the environment compose gives them.
 * `npm run demo` and the end-to-end tests both run it.
 */
export class Stack {
  private constructor(
    readonly database: DatabaseHandle,
    readonly broker: BrokerProcess,
    readonly services: ServiceProcess[],
  ) {}

  static async start(options: StackOptions): Promise<Stack> {
    const log = (source: string) => (line: string) => options.onLine?.(source, line);
    const database = options.restartableDatabase ? await startEmbeddedPostgres() : await resolveDatabase();
    let broker: BrokerProcess | undefined;
    try {
      broker = await BrokerProcess.start(
        { topics: brokerTopics(), groups: brokerGroups(), ...options.broker },
        { port: options.brokerPort, adminPort: options.brokerAdminPort, onLine: log('broker') },
      );
      // The local stack is for the demo and the tests, which drive the services' /faults endpoints.
      const env = { DATABASE_URL: database.url, ROCKETMQ_ENDPOINTS: broker.endpoint, FAULTS_ENABLED: 'true', ...options.env };
      const services = options.services.map((spec) => new ServiceProcess(spec, env, log(spec.instance ?? spec.app)));
      const stack = new Stack(database, broker, services);
      try {
        // One at a time: each runs its migrations on start, and two cores do not gain from parallel boots.
        for (const service of services) await service.start();
        if (options.console) {
          const consoleProcess = new ServiceProcess(consoleSpec(broker, services, options.console.port, options.console.env), env, log('console'));
          services.push(consoleProcess);
          await consoleProcess.start();
        }
      } catch (error) {
        await stack.stop();
        throw error;
      }
      return stack;
    } catch (error) {
      await broker?.dispose();
      await database.stop();
      throw error;
    }
  }

  service(instance: string): ServiceProcess {
    const service = this.services.find((s) => s.name === instance);
    if (!service) throw new Error(`no service ${instance} in the stack: ${this.services.map((s) => s.name).join(', ')}`);
    return service;
  }

  url(instance: string): string {
    return this.service(instance).url;
  }

  /** The broker's and each running service's pid, by name: labels for cpuOfProcessTree. */
  processLabels(): Map<number, string> {
    const labels = new Map<number, string>();
    if (this.broker.pid !== undefined) labels.set(this.broker.pid, 'broker');
    for (const service of this.services) if (service.pid !== undefined) labels.set(service.pid, service.name);
    return labels;
  }

  /** Services first (they drain their consumers), then the broker, then Postgres. */
  async stop(): Promise<void> {
    await Promise.all(this.services.filter((s) => s.isRunning).map((s) => s.stop()));
    await this.broker.dispose();
    await this.database.stop();
  }
}
