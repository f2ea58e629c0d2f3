import { Coalescer, type CoalescingOptions } from '../batching/coalescer';
import { type DataPlane, OK, statusError } from '../grpc/data-plane';
import type { AckResult, RocketMQMessage } from '../grpc/messaging-codec';

interface PendingAck {
  message: RocketMQMessage;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * One ack request in flight per (group, topic) and endpoint: the acks of a round trip go together in
 * the next, so requests (and the broker's journal records for them) stay few as the rate grows.
 */
export const DEFAULT_ACK_BATCH: CoalescingOptions = { maxItems: 256, maxBytes: Number.MAX_SAFE_INTEGER, lingerMs: 0, maxInFlight: 1 };

/**
 * Acknowledges the messages of one (group, topic) with one AckMessageRequest per batch, per endpoint
 * the messages came from. Each entry's result settles its own message: a stale receipt handle fails
 * only that ack.
 */
export class AckBatcher {
  private readonly coalescer: Coalescer<PendingAck>;

  constructor(
    private readonly dataPlane: DataPlane,
    private readonly group: string,
    private readonly topic: string,
    options: CoalescingOptions = DEFAULT_ACK_BATCH,
  ) {
    this.coalescer = new Coalescer(options, () => 0, (endpoint, batch) => this.send(endpoint, batch));
  }

  ack(message: RocketMQMessage): Promise<void> {
    return new Promise((resolve, reject) => this.coalescer.add(message.endpoint, { message, resolve, reject }));
  }

  /** Sends the acks still gathering and waits for every request in flight. */
  close(): Promise<void> {
    return this.coalescer.drain();
  }

  private async send(endpoint: string, batch: PendingAck[]): Promise<void> {
    try {
      const { status, entries } = await this.dataPlane.ack(endpoint, this.group, this.topic, batch.map((pending) => pending.message));
      const results = matchEntries(batch, entries);
      batch.forEach((pending, i) => {
        const result = results[i]?.status ?? status;
        if (result.code === OK) pending.resolve();
        else pending.reject(statusError(result));
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

/** The response's entry for each pending ack: by position when the server answered one per entry, else by message id. */
function matchEntries(batch: PendingAck[], entries: AckResult[]): (AckResult | undefined)[] {
  if (entries.length === batch.length) return entries;
  const byId = new Map(entries.map((entry) => [entry.messageId, entry]));
  return batch.map((pending) => byId.get(pending.message.messageId));
}
