import { ConflictException, Inject, Injectable, Logger, NotFoundException, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { rocketMQConfigFromEnv } from '@rocketmq-shop/rocketmq-transport';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { TRIGGERS_FILE } from './triggers-file';
import { type TriggerDefinition, TriggerDefinitionSchema, TriggerFileSchema } from './trigger-definition';
import { TriggerRunner, type TriggerStats } from './trigger-runner';

const DEMO_TRIGGER = { name: 'order-created-function', topic: 'message-processing', consumerGroup: 'fc-message-processing', batchSize: 8, batchWindowMs: 500 };

export interface TriggerState {
  definition: TriggerDefinition;
  stats: TriggerStats;
}

/**
 * The triggers at work: those of the triggers file at start, plus those added through the API, which
 * are written back to the file (when there is one) so that they survive a restart.
 */
@Injectable()
export class TriggerRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(TriggerRegistry.name);
  private readonly runners = new Map<string, TriggerRunner>();
  private readonly connection = rocketMQConfigFromEnv();

  constructor(@Inject(TRIGGERS_FILE) private readonly file: string | undefined) {}

  async onModuleInit(): Promise<void> {
    if (!this.file) return;
    const parsed = TriggerFileSchema.safeParse(JSON.parse(await readFile(this.file, 'utf8')));
    if (!parsed.success) throw new Error(`${this.file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
    for (const definition of parsed.data.triggers) await this.start(definition);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  list(): TriggerState[] {
    return [...this.runners.values()].map(({ definition, stats }) => ({ definition, stats: { ...stats } }));
  }

  async add(definition: TriggerDefinition): Promise<TriggerState> {
    if (this.runners.has(definition.name)) throw new ConflictException(`trigger ${definition.name} exists`);
    const runner = await this.start(definition);
    await this.save();
    return { definition, stats: { ...runner.stats } };
  }

  /** Replaces a trigger's settings: its runner stops (in-flight POSTs finish) and one with the new settings starts. */
  async replace(definition: TriggerDefinition): Promise<TriggerState> {
    const current = this.runners.get(definition.name);
    if (!current) throw new NotFoundException(`no trigger ${definition.name}`);
    this.runners.delete(definition.name);
    await current.stop();
    const runner = await this.start(definition);
    await this.save();
    return { definition, stats: { ...runner.stats } };
  }

  /**
   * The demo's trigger (TRIGGER_DEMO_FUNCTION=true): the orders' OrderCreated notices on
   * message-processing, to this service's own demo function. Not written to the file.
   */
  async startDemoTrigger(targetUrl: string): Promise<void> {
    if (this.runners.has(DEMO_TRIGGER.name)) return;
    await this.start(TriggerDefinitionSchema.parse({ ...DEMO_TRIGGER, targetUrl }));
  }

  async remove(name: string): Promise<void> {
    const runner = this.runners.get(name);
    if (!runner) throw new NotFoundException(`no trigger ${name}`);
    this.runners.delete(name);
    await runner.stop();
    await this.save();
  }

  private async start(definition: TriggerDefinition): Promise<TriggerRunner> {
    if (this.runners.has(definition.name)) throw new Error(`trigger ${definition.name} is defined twice`);
    const runner = new TriggerRunner(definition, this.connection, this.logger, (event) =>
      this.logger.warn(`trigger ${definition.name}: message ${event.messageId} dead-lettered to %DLQ%${event.group}: ${event.reason}`),
    );
    this.runners.set(definition.name, runner);
    try {
      await runner.start();
    } catch (error) {
      this.runners.delete(definition.name);
      throw error;
    }
    this.logger.log(`trigger ${definition.name}: ${definition.topic} as ${definition.consumerGroup} → POST ${definition.targetUrl}`);
    return runner;
  }

  /** Written to a temporary file and renamed, so a crash leaves the old file or the new one. */
  private async save(): Promise<void> {
    if (!this.file) return;
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ triggers: [...this.runners.values()].map((runner) => runner.definition) }, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}
