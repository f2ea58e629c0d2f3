import { readFileSync, readdirSync } from 'node:fs';

/** Linux clock ticks per second for /proc/<pid>/stat (CLK_TCK, 100 on every common kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) per label. */
export type CpuByLabel = Map<string, number>;

interface ProcessStat {
  comm: string;
  parent: number;
  cpuMs: number;
}

/**
 * CPU time of this process and every process it started, summed per label: `labels` names known pids
 * (the broker, each service); an embedded Postgres's processes are `postgres`, this process is
 * `load generator`, anything else `other`. Read from /proc, so empty where there is none (not Linux).
 * Processes that exited between two snapshots drop out of the difference: fine for long-lived ones.
 */
export function cpuOfProcessTree(labels: ReadonlyMap<number, string>): CpuByLabel {
  const stats = readAllStats();
  const byLabel: CpuByLabel = new Map();
  for (const [pid, stat] of stats) {
    if (!descendsFrom(pid, process.pid, stats)) continue;
    const label = pid === process.pid ? 'load generator' : (labels.get(pid) ?? (stat.comm === 'postgres' ? 'postgres' : 'other'));
    byLabel.set(label, (byLabel.get(label) ?? 0) + stat.cpuMs);
  }
  return byLabel;
}

/** `after − before` per label. */
export function cpuSpent(before: CpuByLabel, after: CpuByLabel): CpuByLabel {
  return new Map([...after].map(([label, ms]) => [label, ms - (before.get(label) ?? 0)]));
}

function descendsFrom(pid: number, root: number, stats: Map<number, ProcessStat>): boolean {
  for (let current: number | undefined = pid; current !== undefined && current > 0; current = stats.get(current)?.parent) {
    if (current === root) return true;
  }
  return false;
}

function readAllStats(): Map<number, ProcessStat> {
  const stats = new Map<number, ProcessStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return stats;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const line = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is parenthesised and may hold spaces; fields after it start at state (field 3).
      const close = line.lastIndexOf(')');
      const fields = line.slice(close + 2).split(' ');
      stats.set(Number(entry), {
        comm: line.slice(line.indexOf('(') + 1, close),
        parent: Number(fields[1]),
        cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND,
      });
    } catch {
      // Gone between readdir and read.
    }
  }
  return stats;
}
