import { z } from 'zod';
import type { MessageView } from './messages';

/** `PUT /api/groups/:name`: what the console lets a person change. */
export const GroupConfigSchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(1000).optional(),
    consumeFrom: z.enum(['first', 'last']).optional(),
  })
  .strict();
export type GroupConfigChange = z.input<typeof GroupConfigSchema>;

/** `POST /api/groups/:name/dlq/replay`: these ids, or every dead letter when absent. */
export const ReplaySchema = z.object({ messageIds: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,128}$/)).min(1).max(1000).optional() }).strict();
export type Replay = z.input<typeof ReplaySchema>;

export interface GroupConfig {
  name: string;
  fifo: boolean;
  maxAttempts: number;
  consumeFrom: 'first' | 'last';
  retryPolicy: Record<string, unknown>;
}

export interface GroupDetail {
  name: string;
  config: GroupConfig;
  topics: { topic: string; backlog: number; inflight: number; retrying: number; acked: number }[];
  dlq: number;
}

/** A copy in %DLQ%<group>: its properties say where it came from and why (DLQ_ORIGIN_TOPIC, DLQ_REASON, DLQ_ATTEMPTS). */
export type DeadLetter = MessageView;
