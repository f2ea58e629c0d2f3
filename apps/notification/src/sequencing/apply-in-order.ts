import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from 'typeorm';
import type { OrderedStream } from '../stats/counter.entity';
import { incrementCounter } from '../stats/counters';
import { type SequenceVerdict, sequenceVerdict } from './sequence-verdict';

export interface VersionedEvent<Entity> {
  stream: OrderedStream;
  entity: EntityTarget<Entity>;
  /** The row of the aggregate the event belongs to. */
  where: FindOptionsWhere<Entity>;
  version: number;
}

/**
 * Applies one event of a FIFO stream in one transaction with its bookkeeping: the aggregate's row is
 * locked, a duplicate is skipped (the version is the idempotency key), and an event that is not
 * last + 1 is counted in `<stream>.outOfOrder` — which FIFO delivery must keep at 0. A gap is still
 * applied (the newest state wins); a stale event is not.
 */
export async function applyInOrder<Entity extends ObjectLiteral & { version: number }>(
  dataSource: DataSource,
  event: VersionedEvent<Entity>,
  apply: (manager: EntityManager, current: Entity | null) => Promise<void>,
): Promise<SequenceVerdict> {
  return dataSource.transaction(async (manager) => {
    const current = await manager.findOne(event.entity, { where: event.where, lock: { mode: 'pessimistic_write' } });
    const verdict = sequenceVerdict(current?.version ?? 0, event.version);
    if (verdict === 'duplicate') return verdict;
    if (verdict !== 'next') await incrementCounter(manager, `${event.stream}.outOfOrder`);
    if (verdict !== 'stale') {
      await apply(manager, current);
      await incrementCounter(manager, `${event.stream}.applied`);
    }
    return verdict;
  });
}
