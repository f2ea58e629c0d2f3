import { describe, expect, it } from 'vitest';
import { runSeed } from '../sim/storage-sim';

/** CI runs this many seeded workload/crash/recover campaigns; `npm run sim:storage -- --seeds N` runs more. */
const SEEDS = Number(process.env.SIM_SEEDS ?? 200);

describe('storage simulation (seeded crashes, torn and lost writes, bit flips, retention)', () => {
  it(
    `keeps every invariant over ${SEEDS} seeds`,
    async ({ annotate }) => {
      const failures: string[] = [];
      const totals = { crashes: 0, flips: 0, lostWrites: 0, tornWrites: 0, damage: 0 };
      for (let seed = 1; seed <= SEEDS; seed++) {
        const result = await runSeed(seed);
        for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result.stats[key];
        if (result.violations.length > 0) failures.push(`seed ${seed} (npm run sim:storage -- --seed ${seed}): ${result.violations.slice(0, 3).join('; ')}`);
      }
      await annotate(`${SEEDS} seeds: ${totals.crashes} crashes, ${totals.flips} flipped bits in segments, ${totals.lostWrites} lost and ${totals.tornWrites} torn writes, ${totals.damage} damage reports`);
      // The campaign must actually inject faults, or passing proves nothing.
      expect(totals.crashes).toBeGreaterThan(SEEDS);
      expect(totals.flips).toBeGreaterThan(SEEDS / 4);
      expect(totals.tornWrites).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    },
    20 * 60_000,
  );
});
