import type { BrokerMetrics } from '../admin/metrics';
import type { BrokerConfig } from '../config/broker-config';
import type { Groups } from '../consumption/groups';
import { BrokerError, Code } from '../errors';
import type { Staging } from '../messaging/staging';
import type { Clock } from '../scheduling/clock';

/** Re-measure at most this often: sends check a cached verdict. */
const SAMPLE_MS = 100;

export interface FlowControlReport {
  unconsumedBytes: number;
  maxUnconsumedBytes: number;
  residentBytes: number;
  maxMemoryBytes: number;
  /** Why sends are refused right now, if they are. */
  throttling?: string;
}

/**
 * Refuses sends with TOO_MANY_REQUESTS (42900) instead of growing without bound: when the bytes
 * subscribed groups have not consumed yet (plus staged messages) pass `storage.maxUnconsumedBytes`,
 * or the process's resident memory passes `storage.maxMemoryBytes`. Below the quota, size retention
 * never has to delete a message a group still needs.
 */
export class FlowControl {
  private sampledAt = -Infinity;
  private report: FlowControlReport;

  constructor(
    private readonly storage: BrokerConfig['storage'],
    private readonly groups: Groups,
    private readonly staging: Staging,
    private readonly clock: Clock,
    private readonly metrics: BrokerMetrics,
    private readonly residentBytes: () => number = () => process.memoryUsage.rss(),
  ) {
    this.report = { unconsumedBytes: 0, maxUnconsumedBytes: storage.maxUnconsumedBytes, residentBytes: 0, maxMemoryBytes: storage.maxMemoryBytes };
  }

  /** Throws TOO_MANY_REQUESTS naming the quota when sends must wait. */
  check(messages: number): void {
    const { throttling } = this.current();
    if (throttling === undefined) return;
    this.metrics.throttled.inc({ reason: throttling.startsWith('memory') ? 'memory' : 'unconsumed' }, messages);
    throw new BrokerError(Code.TOO_MANY_REQUESTS, throttling);
  }

  current(): FlowControlReport {
    const now = this.clock.now();
    if (now - this.sampledAt >= SAMPLE_MS) {
      this.sampledAt = now;
      this.report = this.measure();
    }
    return this.report;
  }

  private measure(): FlowControlReport {
    const { maxUnconsumedBytes, maxMemoryBytes } = this.storage;
    const unconsumedBytes = this.unconsumedBytes();
    const residentBytes = this.residentBytes();
    const report: FlowControlReport = { unconsumedBytes, maxUnconsumedBytes, residentBytes, maxMemoryBytes };
    if (unconsumedBytes > maxUnconsumedBytes) {
      report.throttling = `unconsumed messages take ${mib(unconsumedBytes)}, over the quota storage.maxUnconsumedBytes = ${mib(maxUnconsumedBytes)}: consumers must catch up first`;
    } else if (residentBytes > maxMemoryBytes) {
      report.throttling = `memory: the broker holds ${mib(residentBytes)}, over storage.maxMemoryBytes = ${mib(maxMemoryBytes)}`;
    }
    return report;
  }

  /** Per queue, from the slowest subscribed group's commit offset to the end; plus staged messages. */
  private unconsumedBytes(): number {
    const slowest = new Map<object, { bytes: number }>();
    for (const group of this.groups.list()) {
      for (const subscription of group.subscriptions.values()) {
        for (const cursor of subscription.cursors) {
          const bytes = cursor.backlogBytes();
          const known = slowest.get(cursor.queue);
          if (!known) slowest.set(cursor.queue, { bytes });
          else if (bytes > known.bytes) known.bytes = bytes;
        }
      }
    }
    let total = this.staging.bytes;
    for (const { bytes } of slowest.values()) total += bytes;
    return total;
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
