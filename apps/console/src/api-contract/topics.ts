import { z } from 'zod';
import { TOPIC_TYPES, type TopicType } from './broker-stats';
import { RESOURCE_NAME, RESOURCE_NAME_RULE } from './names';

/** `POST /api/topics`. */
export const CreateTopicSchema = z
  .object({
    name: z.string().regex(RESOURCE_NAME, RESOURCE_NAME_RULE),
    type: z.enum(TOPIC_TYPES),
    queues: z.number().int().min(1).max(64),
  })
  .strict();
export type CreateTopic = z.input<typeof CreateTopicSchema>;

/** `POST /api/topics/:name/messages`: the body must be JSON text (a console sends JSON events). */
export const TestMessageSchema = z
  .object({
    body: z.string().min(1).max(1_048_576).refine(isJson, 'body must be valid JSON'),
    tag: z.string().min(1).max(128).optional(),
    keys: z.array(z.string().min(1).max(128)).max(16).default([]),
    messageType: z.enum(['NORMAL', 'FIFO', 'DELAY']).default('NORMAL'),
    messageGroup: z.string().min(1).max(63).optional(),
    delaySeconds: z.number().int().min(1).max(86_400).optional(),
  })
  .strict();
export type TestMessage = z.input<typeof TestMessageSchema>;

export interface SentMessage {
  messageId: string;
  queueId: number;
  offset: number;
}

export interface TopicSummary {
  name: string;
  type: TopicType;
  queues: number;
  messages: number;
}

export interface TopicDetail {
  name: string;
  type: TopicType;
  queues: { id: number; minOffset: number; maxOffset: number }[];
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
