/**
 * `node apps/broker/dist/bench/thread-times.js [seconds] [command pattern]` (Linux), started while a benchmark
 * runs (docs/benchmarks.md): for every thread of the processes whose command line matches the pattern (default
 * `node`) that ran at least 5 ms a second, how long it ran, how long it waited in the run queue for a CPU, and how
 * often it was scheduled (wake-ups) — from `/proc/<pid>/task/<tid>/schedstat` — plus each process's minor page
 * faults a second. A latency tail on a busy box is often threads waiting for a core, which no CPU profile shows.
 */
import { readFileSync, readdirSync } from 'node:fs';

interface ThreadSample {
  process: string;
  thread: string;
  runNs: number;
  waitNs: number;
  slices: number;
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // exited meanwhile
  }
};

function sample(pattern: RegExp): { threads: Map<string, ThreadSample>; faults: Map<string, number> } {
  const threads = new Map<string, ThreadSample>();
  const faults = new Map<string, number>();
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)) {
    const command = read(`/proc/${pid}/cmdline`)?.replaceAll('\0', ' ').trim();
    const stat = read(`/proc/${pid}/stat`);
    if (!command || !stat || !pattern.test(command)) continue;
    const script = command.split(' ').find((arg) => arg.endsWith('.js')) ?? command.split(' ')[0];
    const name = `${pid} ${script.split('/').slice(-3).join('/')}`;
    // Fields after the parenthesised command name: state is field 3, minflt field 10.
    faults.set(name, Number(stat.split(') ')[1].split(' ')[7]));
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const times = read(`/proc/${pid}/task/${tid}/schedstat`)?.trim().split(' ').map(Number);
      const comm = read(`/proc/${pid}/task/${tid}/comm`)?.trim();
      if (times && comm) threads.set(`${pid}/${tid}`, { process: name, thread: comm, runNs: times[0], waitNs: times[1], slices: times[2] });
    }
  }
  return { threads, faults };
}

async function main(): Promise<void> {
  const seconds = Number(process.argv[2] ?? 8);
  if (!(seconds > 0)) throw new RangeError('usage: thread-times.js [seconds > 0] [command pattern]');
  const pattern = new RegExp(process.argv[3] ?? 'node');
  const before = sample(pattern);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = sample(pattern);
  const perSecond = (value: number) => value / seconds;
  console.log('| Process | Thread | Ran ms/s | Waited for a CPU ms/s | Wake-ups/s |\n|---|---|---:|---:|---:|');
  for (const [key, now] of after.threads) {
    const then = before.threads.get(key);
    if (!then || perSecond(now.runNs - then.runNs) / 1e6 < 5) continue;
    const ranMs = perSecond(now.runNs - then.runNs) / 1e6;
    const waitedMs = perSecond(now.waitNs - then.waitNs) / 1e6;
    console.log(`| ${now.process} | ${now.thread} | ${ranMs.toFixed(0)} | ${waitedMs.toFixed(0)} | ${perSecond(now.slices - then.slices).toFixed(0)} |`);
  }
  for (const [name, faults] of after.faults) {
    const earlier = before.faults.get(name);
    if (earlier !== undefined) console.log(`${name}: ${perSecond(faults - earlier).toFixed(0)} minor page faults/s`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
