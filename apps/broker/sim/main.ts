import { runSeed } from './storage-sim';

/**
 * `npm run sim:storage -- --seeds N [--from S] [--steps K]`, or `--seed S [--trace 1]` to reproduce one.
 * Prints one line per failing seed and a summary; exits 1 when any seed breaks an invariant.
 */
async function main(): Promise<void> {
  const args = new Map<string, string>();
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) args.set(argv[i], argv[i + 1]);
  const number = (name: string, fallback: number) => {
    const value = Number(args.get(name) ?? fallback);
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
    return value;
  };
  const single = args.has('--seed');
  const from = single ? number('--seed', 1) : number('--from', 1);
  const count = single ? 1 : number('--seeds', 200);
  const steps = number('--steps', 250);
  const totals = { crashes: 0, flips: 0, sent: 0, acked: 0, damage: 0, lostWrites: 0, tornWrites: 0, retentionRuns: 0 };
  const failed: number[] = [];
  const started = Date.now();
  for (let seed = from; seed < from + count; seed++) {
    const result = await runSeed(seed, steps, args.has('--trace') ? (line) => console.log(line) : undefined);
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += result.stats[key];
    if (result.violations.length === 0) {
      if (single) console.log(`seed ${seed}: ok`, result.stats);
      continue;
    }
    failed.push(seed);
    console.log(`seed ${seed}: ${result.violations.length} violations (reproduce: npm run sim:storage -- --seed ${seed})`);
    for (const violation of result.violations.slice(0, single ? 50 : 5)) console.log(`  ${violation}`);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`sim:storage seeds=${count} failed=${failed.length} crashes=${totals.crashes} flipped_bits=${totals.flips} lost_writes=${totals.lostWrites} torn_writes=${totals.tornWrites} retention_runs=${totals.retentionRuns} damage_reports=${totals.damage} sent=${totals.sent} acked=${totals.acked} seconds=${seconds}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
