import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** The kernel's short name (`node`, `postgres`). */
  name: string;
  commandLine: string;
}

/** Every live process whose ancestry leads to `rootPid` (not the root itself), from /proc. */
export function descendantsOf(rootPid: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcess(Number(entry)))
    .filter((info): info is ProcessInfo => info !== undefined);
  const children = new Map<number, ProcessInfo[]>();
  for (const info of all) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** The process may exit while we look: then it is simply not there. */
function readProcess(pid: number): ProcessInfo | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may itself contain spaces or parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const ppid = Number(stat.slice(close + 2).split(' ')[1]);
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    return { pid, ppid, name, commandLine };
  } catch {
    return undefined;
  }
}

export interface Memory {
  /** VmRSS: resident pages, shared ones counted in every process that maps them. */
  rssKiB: number;
  /** Pss: shared pages divided among their users, so the sum over processes is honest. */
  pssKiB: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const rssKiB = kibField(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
    const pssKiB = kibField(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss');
    return { rssKiB, pssKiB };
  } catch {
    return undefined;
  }
}

function kibField(text: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!match) throw new Error(`no ${field} line`);
  return Number(match[1]);
}
