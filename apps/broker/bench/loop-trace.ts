/**
 * Loaded into every Node process of a benchmark's stack with `--require` when LOOP_TRACE_DIR is set
 * (docs/benchmarks.md): records the process's event-loop stalls and GC pauses, with wall-clock times, in
 * `LOOP_TRACE_DIR/<pid>.log`. `npm run trace:summary -- <dir>` then lays a benchmark's slow operations
 * against what each process was doing at that moment — the question a latency tail always raises.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';

const dir = process.env.LOOP_TRACE_DIR;
/** Stalls and pauses shorter than this are not written (ms). */
const minMs = Number(process.env.LOOP_TRACE_MIN_MS ?? 2);
const TICK_MS = 5;

if (dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${process.pid}.log`);
  writeFileSync(file, `${JSON.stringify({ pid: process.pid, argv: process.argv.slice(1) })}\n`);
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) appendFileSync(file, lines.join(''));
    lines = [];
  };
  /** Wall-clock ms of a performance.now() reading: comparable across processes. */
  const wallClock = (now: number) => (performance.timeOrigin + now).toFixed(1);

  // A stall ends when the late tick runs: it is written with its start time, when the loop stopped turning.
  let last = performance.now();
  setInterval(() => {
    const now = performance.now();
    const stalled = now - last - TICK_MS;
    if (stalled >= minMs) lines.push(`${wallClock(last + TICK_MS)} lag ${stalled.toFixed(1)}\n`);
    last = now;
  }, TICK_MS).unref();
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const { kind } = (entry as { detail?: { kind?: number } }).detail ?? {};
      if (entry.duration >= minMs) lines.push(`${wallClock(entry.startTime)} gc-${gcKind(kind)} ${entry.duration.toFixed(1)}\n`);
    }
  }).observe({ entryTypes: ['gc'] });
  setInterval(flush, 1000).unref();
  process.on('exit', flush);
}

/** perf_hooks.constants.NODE_PERFORMANCE_GC_*: 1 minor (scavenge), 4 major, 8 incremental marking, 16 weak callbacks. */
function gcKind(kind: number | undefined): string {
  return ({ 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weakcb' } as Record<number, string>)[kind ?? 0] ?? 'other';
}
