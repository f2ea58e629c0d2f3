import { z } from 'zod';
import { assertValidName } from './names';

/** The RocketMQ 5 topic message types a contract can declare (a topic accepts only its own type). */
export type MessageType = 'NORMAL' | 'FIFO' | 'DELAY' | 'TRANSACTION';

/** Queues per topic when a contract does not say: the embedded broker's and Apache's default. */
export const DEFAULT_QUEUES = 8;

// tagOf and messageGroupOf use method syntax on purpose: TypeScript checks method parameters
// bivariantly, which lets every specific contract be used where a plain `EventContract` is expected.

interface ContractCore<Schema extends z.ZodType, Tag extends string> {
  readonly topic: string;
  readonly schema: Schema;
  /** Derives the tag from the payload, so a tag can never disagree with the event it labels. */
  tagOf?(payload: z.output<Schema>): Tag;
}

interface ContractDefaults<Tag extends string> {
  readonly queues: number;
  /** Every tag producers may set; consumers filter on them. Empty when the topic carries no tags. */
  readonly tags: readonly Tag[];
}

/**
 * A FIFO topic orders messages per message group, so its contract must say which field is the group;
 * any other topic must not have one (RocketMQ 5 rejects a message group on a non-FIFO topic).
 */
type Ordering<Schema extends z.ZodType, Type extends MessageType> = Type extends 'FIFO'
  ? { readonly messageType: Type; messageGroupOf(payload: z.output<Schema>): string }
  : { readonly messageType: Type; readonly messageGroupOf?: undefined };

export type EventContract<
  Schema extends z.ZodType = z.ZodType,
  Tag extends string = string,
  Type extends MessageType = MessageType,
> = ContractCore<Schema, Tag> & ContractDefaults<Tag> & Ordering<Schema, Type>;

/** The payload type a contract validates to. */
export type EventPayload<Contract> = Contract extends EventContract<infer Schema> ? z.output<Schema> : never;

type EventSpec<Schema extends z.ZodType, Tag extends string, Type extends MessageType> = ContractCore<Schema, Tag> &
  Partial<ContractDefaults<Tag>> &
  Ordering<Schema, Type>;

export function defineEvent<Schema extends z.ZodType, const Tag extends string = never, const Type extends MessageType = MessageType>(
  spec: EventSpec<Schema, Tag, Type>,
): EventContract<Schema, Tag, Type> {
  assertValidName('topic', spec.topic);
  const tags = spec.tags ?? [];
  for (const tag of tags) assertValidName('tag', tag);
  if ((tags.length > 0) !== (spec.tagOf !== undefined)) {
    throw new Error(`topic ${spec.topic}: declare tags and tagOf together`);
  }
  const queues = spec.queues ?? DEFAULT_QUEUES;
  if (!Number.isInteger(queues) || queues < 1) throw new Error(`topic ${spec.topic}: queues must be a positive integer`);
  return { ...spec, tags, queues };
}

/** Thrown for a payload that breaks its contract; a consumer should dead-letter it, not retry it. */
export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';

  constructor(
    readonly topic: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`invalid ${topic} event: ${issues.map(describeIssue).join('; ')}`);
  }
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

/** Validates an incoming (or outgoing) payload against its contract and returns it typed. */
export function parseEvent<Schema extends z.ZodType>(contract: EventContract<Schema>, payload: unknown): z.output<Schema> {
  const result = contract.schema.safeParse(payload);
  if (!result.success) throw new InvalidEventError(contract.topic, result.error.issues);
  return result.data;
}
