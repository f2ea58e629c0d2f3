import type { Broker } from '../broker';

interface Renewal {
  group: string;
  topic: string;
  receiptHandle: string;
  deliveredAt: number;
}

const SCAN_INTERVAL_MS = 5_000;
/** Java proxy's renewMaxTimeMillis: after this the message is left to expire and be retried. */
const MAX_RENEW_MS = 3 * 60 * 60 * 1000;
/** Java proxy's invisibleTimeMillisWhenClear: an offline client's messages come back this soon. */
const RELEASE_AFTER_MS = 1_000;

/**
 * PushConsumer receives with auto_renew and never changes visibility itself while its listener
 * runs; like the Java proxy, we keep those messages invisible while the client is connected, and
 * hand them back quickly when it leaves.
 */
export class AutoRenewal {
  private readonly byClient = new Map<string, Map<string, Renewal>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly broker: Broker) {
    this.timer = setInterval(() => this.renewAll(), SCAN_INTERVAL_MS);
    this.timer.unref();
  }

  track(clientId: string, group: string, topic: string, receiptHandle: string): void {
    let renewals = this.byClient.get(clientId);
    if (!renewals) this.byClient.set(clientId, (renewals = new Map()));
    renewals.set(receiptHandle, { group, topic, receiptHandle, deliveredAt: Date.now() });
  }

  /** The client went away: its unfinished messages become visible again shortly. */
  releaseClient(clientId: string): void {
    const renewals = this.byClient.get(clientId);
    this.byClient.delete(clientId);
    for (const r of renewals?.values() ?? []) this.broker.consuming.extendInvisibility(r.group, r.topic, r.receiptHandle, RELEASE_AFTER_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private renewAll(): void {
    const now = Date.now();
    const invisibleMs = this.broker.config.consumer.autoRenewInvisibleMs;
    for (const renewals of this.byClient.values()) {
      for (const [handle, r] of renewals) {
        const alive = now - r.deliveredAt < MAX_RENEW_MS && this.broker.consuming.extendInvisibility(r.group, r.topic, handle, invisibleMs);
        if (!alive) renewals.delete(handle);
      }
    }
  }
}
