import type { MessageOptions, MessageView, Producer, SendReceipt, SimpleConsumer } from 'rocketmq-client-nodejs';

export interface ReceiveOptions {
  /** Invisible duration requested on each receive. */
  invisibleMs?: number;
  /** Messages asked for per receive (the broker caps it at 32). */
  batch?: number;
  /** Acknowledge every received message (default true). */
  ack?: boolean;
}

async function receiveBatch(consumer: SimpleConsumer, { invisibleMs = 15_000, batch = 32, ack = true }: ReceiveOptions): Promise<MessageView[]> {
  const messages = await consumer.receive(batch, invisibleMs);
  if (ack) await Promise.all(messages.map((message) => consumer.ack(message)));
  return messages;
}

type Until = ReceiveOptions & { timeoutMs?: number };

/** Receives until `done(received)` holds or `timeoutMs` passes; `complete` says which. */
export async function collect(
  consumer: SimpleConsumer,
  done: (received: MessageView[]) => boolean,
  { timeoutMs = 30_000, ...options }: Until = {},
): Promise<{ received: MessageView[]; complete: boolean }> {
  const received: MessageView[] = [];
  const deadline = Date.now() + timeoutMs;
  while (!done(received)) {
    if (Date.now() >= deadline) return { received, complete: false };
    received.push(...(await receiveBatch(consumer, options)));
  }
  return { received, complete: true };
}

/** Receives until `done(received)` holds; fails, saying how many arrived, after `timeoutMs`. */
async function receiveUntil(consumer: SimpleConsumer, done: (received: MessageView[]) => boolean, options: Until = {}): Promise<MessageView[]> {
  const { received, complete } = await collect(consumer, done, options);
  if (!complete) throw new Error(`the expected messages did not arrive within ${options.timeoutMs ?? 30_000} ms (received ${received.length})`);
  return received;
}

/** Every message id of `expected` arrived (duplicates allowed). */
export function containsAll(expected: string[]): (received: MessageView[]) => boolean {
  return (received) => {
    const ids = new Set(received.map((message) => message.messageId));
    return expected.every((id) => ids.has(id));
  };
}

/** Receives until at least `count` messages arrived. */
export function receiveCount(consumer: SimpleConsumer, count: number, options: Until = {}): Promise<MessageView[]> {
  return receiveUntil(consumer, (received) => received.length >= count, options);
}

/** Everything that arrives during `windowMs` (used to prove that something is NOT delivered). */
export async function receiveDuring(consumer: SimpleConsumer, windowMs: number, options: ReceiveOptions = {}): Promise<MessageView[]> {
  return (await collect(consumer, () => false, { ...options, timeoutMs: windowMs })).received;
}

/** Sends every message, `concurrency` at a time; receipts keep the order of `messages`. */
export async function sendAll(producer: Producer, messages: MessageOptions[], concurrency = 16): Promise<SendReceipt[]> {
  const receipts: SendReceipt[] = new Array(messages.length);
  let next = 0;
  const worker = async () => {
    while (next < messages.length) {
      const index = next++;
      receipts[index] = await producer.send(messages[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, messages.length) }, worker));
  return receipts;
}

export function bodyText(message: MessageView): string {
  return message.body.toString('utf8');
}

/** How many times each value occurs. */
export function tally(values: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
