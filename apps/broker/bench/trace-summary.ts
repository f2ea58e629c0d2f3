/**
 * `npm run trace:summary -- <dir>`: what a LOOP_TRACE_DIR holds after a benchmark (docs/benchmarks.md) —
 * per process, its event-loop stalls and GC pauses; then the benchmark's slow operations (`slow.log`,
 * `<at> <ms>` per line), each charged to the longest stall of any process that overlapped it, and the
 * worst episodes with every stall of their time.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { chargeOperations, episodesOf, parseProcessTrace, type Pause, type ProcessTrace, type SlowOperation } from './stall-episodes';

const EPISODES_SHOWN = 12;
/** The longest stalls named per episode; the rest are counted. */
const STALLS_SHOWN = 6;

function main(dir: string): void {
  const processes = readdirSync(dir)
    .filter((name) => /^\d+\.log$/.test(name))
    .map((name) => parseProcessTrace(readFileSync(join(dir, name), 'utf8')))
    .filter((trace) => trace.stalls.length + trace.gcs.length > 0);
  const out = (line = ''): void => {
    process.stdout.write(`${line}\n`);
  };
  out('| process | loop stalls: n / total / max ms | GC pauses by kind: n / total / max ms |');
  out('|---|---:|---|');
  for (const trace of processes) out(`| ${trace.label} | ${totals(trace.stalls)} | ${gcByKind(trace)} |`);

  const operations = slowOperations(join(dir, 'slow.log'));
  if (operations.length === 0) {
    out('\nno slow.log: no slow operations to lay against the stalls');
    return;
  }
  const episodes = episodesOf(operations, processes);
  out(`\n${operations.length} slow operations in ${episodes.length} episodes, charged to the longest overlapping stall:`);
  for (const [charge, count] of chargeOperations(operations, processes)) out(`  ${((100 * count) / operations.length).toFixed(1).padStart(5)} %  ${charge}`);
  const origin = operations.reduce((first, op) => Math.min(first, op.at), Infinity);
  out(`\nworst ${EPISODES_SHOWN} episodes (ms after the first slow operation; stalls as process cause ms):`);
  for (const episode of [...episodes].sort((a, b) => b.worstMs - a.worstMs).slice(0, EPISODES_SHOWN)) {
    const shown = episode.stalls.slice(0, STALLS_SHOWN).map(({ label, stall }) => `${label} ${stall.cause} ${stall.ms.toFixed(1)}`);
    const more = episode.stalls.length - shown.length;
    const stalls = [...shown, ...(more > 0 ? [`${more} shorter`] : [])].join(', ') || 'none';
    out(`  +${(episode.at - origin).toFixed(0).padStart(6)}  ${String(episode.operations).padStart(4)} ops, worst ${episode.worstMs.toFixed(1)} ms | ${stalls}`);
  }
}

function slowOperations(path: string): SlowOperation[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [at, ms] = line.split(' ').map(Number);
      return { at, ms };
    });
}

function totals(pauses: readonly Pause[]): string {
  const total = pauses.reduce((sum, p) => sum + p.ms, 0);
  const max = pauses.reduce((m, p) => Math.max(m, p.ms), 0);
  return `${pauses.length} / ${total.toFixed(0)} / ${max.toFixed(1)}`;
}

function gcByKind(trace: ProcessTrace): string {
  const kinds = [...new Set(trace.gcs.map((gc) => gc.kind))].sort();
  return kinds.map((kind) => `${kind} ${totals(trace.gcs.filter((gc) => gc.kind === kind))}`).join('; ') || '-';
}

const [dir] = process.argv.slice(2);
if (!dir) {
  process.stderr.write('usage: npm run trace:summary -- <LOOP_TRACE_DIR>\n');
  process.exit(2);
}
main(dir);
