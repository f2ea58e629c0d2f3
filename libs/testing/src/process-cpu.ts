import { readFileSync, readdirSync } from 'node:fs';

/** Linux clock ticks per second for /proc/<pid>/stat (CLK_TCK, 100 on every common kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU milliseconds (user + system) per label. */
export type CpuByLabel = Map<string, number>;

/** One reading of the process tree: each process's label and CPU milliseconds so far, by pid. */
export type ProcessTreeCpu = Map<number, { label: string; cpuMs: number }>;

interface ProcessStat {
  comm: string;
  parent: number;
  cpuMs: number;
}

/**
 * CPU time of this process and every process it started: `labels` names known pids (the broker, each
 * service); an embedded Postgres's processes are `postgres`, this process is `load generator`,
 * anything else `other`. Read from /proc, so empty where there is none (not Linux).
 */
export function cpuOfProcessTree(labels: ReadonlyMap<number, string>): ProcessTreeCpu {
  const stats = readAllStats();
  const tree: ProcessTreeCpu = new Map();
  for (const [pid, stat] of stats) {
    if (!descendsFrom(pid, process.pid, stats)) continue;
    const label = pid === process.pid ? 'load generator' : (labels.get(pid) ?? (stat.comm === 'postgres' ? 'postgres' : 'other'));
    tree.set(pid, { label, cpuMs: stat.cpuMs });
  }
  return tree;
}

/**
 * CPU spent between two readings, per label: each process's growth, a process started in between
 * counted whole. One that exited in between (a pool's connection, say) is left out, not subtracted.
 */
export function cpuSpent(before: ProcessTreeCpu, after: ProcessTreeCpu): CpuByLabel {
  const byLabel: CpuByLabel = new Map();
  for (const [pid, { label, cpuMs }] of after) byLabel.set(label, (byLabel.get(label) ?? 0) + cpuMs - (before.get(pid)?.cpuMs ?? 0));
  return byLabel;
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
