import type { PriceChanged } from '@rocketmq-shop/contracts';

export interface CachedPrice {
  sku: string;
  priceCents: number;
  /** The product's price version (per SKU, from inventory); only a higher one replaces this entry. */
  version: number;
  changedAt: string;
}

/** `applied` changed the cache; `stale` was a duplicate or an older change and changed nothing. */
export type ApplyOutcome = 'applied' | 'stale';

export interface CacheSummary {
  entries: number;
  /** The highest price version applied to any SKU, 0 while empty. */
  version: number;
  /** When the last change was applied (ISO), null while empty. */
  lastAppliedAt: string | null;
  /**
   * Holds at least one price. The replica starts empty and asks for a snapshot at start, so this turns
   * true when the first answer (or a change) arrives; it cannot tell a full snapshot from a partial one.
   */
  warm: boolean;
}

/**
 * One replica's prices, in memory by design: reads never leave the process. Broadcast delivery is
 * at-least-once and unordered across queues (and a warm-up replays history and snapshots), so a change only wins
 * if its version is newer than the cached one: duplicates and late arrivals are no-ops, and every
 * replica converges on the latest version whatever order the changes arrive in.
 */
export class PriceCache {
  private readonly prices = new Map<string, CachedPrice>();
  private maxVersion = 0;
  private lastAppliedAt: Date | undefined;

  constructor(private readonly now: () => Date = () => new Date()) {}

  apply(change: PriceChanged): ApplyOutcome {
    const cached = this.prices.get(change.sku);
    if (cached && cached.version >= change.version) return 'stale';
    this.prices.set(change.sku, { sku: change.sku, priceCents: change.priceCents, version: change.version, changedAt: change.changedAt });
    this.maxVersion = Math.max(this.maxVersion, change.version);
    this.lastAppliedAt = this.now();
    return 'applied';
  }

  get(sku: string): CachedPrice | undefined {
    return this.prices.get(sku);
  }

  /** Every cached price, by SKU. */
  all(): CachedPrice[] {
    return [...this.prices.values()].sort((a, b) => a.sku.localeCompare(b.sku));
  }

  summary(): CacheSummary {
    return {
      entries: this.prices.size,
      version: this.maxVersion,
      lastAppliedAt: this.lastAppliedAt?.toISOString() ?? null,
      warm: this.prices.size > 0,
    };
  }
}
