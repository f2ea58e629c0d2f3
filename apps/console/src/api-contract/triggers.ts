/** apps/trigger's trigger (apps/trigger/src/triggers/trigger-definition.ts), as its API shows it. */
export interface TriggerDefinition {
  name: string;
  topic: string;
  consumerGroup: string;
  filter: { tag: string } | { sql: string };
  batchSize: number;
  batchWindowMs: number;
  targetUrl: string;
  timeoutMs: number;
  retry: { maxAttempts: number; backoffMs: number[] };
  concurrency: number;
}

export interface TriggerState {
  definition: TriggerDefinition;
  stats: { delivered: number; failedCalls: number; deadLettered: number; lastError?: string };
}

/** What the console's form sends; the trigger service fills in defaults and validates the rest. */
export type TriggerInput = Partial<TriggerDefinition> & Pick<TriggerDefinition, 'name' | 'topic' | 'consumerGroup' | 'targetUrl'>;
