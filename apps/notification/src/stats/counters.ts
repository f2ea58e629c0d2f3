import type { EntityManager } from 'typeorm';
import { Counter, type CounterName } from './counter.entity';

/** Counts inside the caller's transaction: a rolled-back attempt leaves no trace in the numbers. */
export async function incrementCounter(manager: EntityManager, name: CounterName): Promise<void> {
  await manager.query('INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1', [name]);
}

export async function readCounters(manager: EntityManager): Promise<(name: CounterName) => number> {
  const values = new Map((await manager.find(Counter)).map((counter) => [counter.name, Number(counter.value)]));
  return (name) => values.get(name) ?? 0;
}
