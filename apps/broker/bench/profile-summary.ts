/**
 * `npm run profile:summary -- <file.cpuprofile | directory> [rows]`: where a `--cpu-prof` profile's
 * time went, as shares of the busy (non-idle) time — self time by function and by file, and
 * inclusive time by function (each function counted once per sample, however deep it recurses).
 * For a directory, the largest profile in it (the process that ran longest). docs/benchmarks.md
 * shows how to profile the benchmark's client and broker. With PROFILE_STRETCHES_WITH=<function name>
 * (or <name>@<part of its file's path>, e.g. encode@queue-runs), it lists instead every busy stretch (samples without an idle one between) in which that function ran:
 * when, how long, and how much of it was that function — one event-loop stall a latency tail may hide.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function largestProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(path, name));
  if (files.length === 0) throw new Error(`no .cpuprofile in ${path}`);
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/** node_modules and workspace paths shortened, so rows stay readable. */
function fileOf(node: ProfileNode): string {
  const url = node.callFrame.url.replace(/^file:\/\//, '');
  return url.replace(/.*node_modules\//, '').replace(/.*\/(apps|libs)\//, '$1/') || node.callFrame.functionName;
}

const functionOf = (node: ProfileNode) =>
  node.callFrame.url ? `${node.callFrame.functionName || '(anonymous)'}  ${fileOf(node)}:${node.callFrame.lineNumber + 1}` : node.callFrame.functionName;

function add(totals: Map<string, number>, key: string, micros: number): void {
  totals.set(key, (totals.get(key) ?? 0) + micros);
}

function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const selfById = new Map<number, number>();
  profile.samples.forEach((id, i) => selfById.set(id, (selfById.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)));

  const selfByFunction = new Map<string, number>();
  const selfByFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, micros] of selfById) {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros;
      continue;
    }
    busy += micros;
    add(selfByFunction, functionOf(node), micros);
    add(selfByFile, fileOf(node), micros);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const name = functionOf(byId.get(at)!);
      if (!seen.has(name)) add(inclusive, name, micros);
      seen.add(name);
    }
  }
  return { busy, idle, selfByFunction, selfByFile, inclusive };
}

/** Busy stretches in which a function named `name` ran: start (s into the profile), length and its share (ms). */
function stretchesWith(profile: Profile, name: string): { atS: number; ms: number; inNameMs: number }[] {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const [functionName, file = ''] = name.split('@');
  const runsName = (id: number) => {
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const { callFrame } = byId.get(at)!;
      if (callFrame.functionName === functionName && callFrame.url.includes(file)) return true;
    }
    return false;
  };
  const found: { atS: number; ms: number; inNameMs: number }[] = [];
  let current: { atS: number; ms: number; inNameMs: number } | undefined;
  let elapsed = 0;
  profile.samples.forEach((id, i) => {
    elapsed += profile.timeDeltas[i] ?? 0;
    if (byId.get(id)!.callFrame.functionName === '(idle)') {
      if (current && current.inNameMs > 0) found.push(current);
      current = undefined;
      return;
    }
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    current ??= { atS: elapsed / 1e6, ms: 0, inNameMs: 0 };
    current.ms += ms;
    if (runsName(id)) current.inNameMs += ms;
  });
  if (current && current.inNameMs > 0) found.push(current);
  return found;
}

function print(title: string, totals: Map<string, number>, busy: number, rows: number): void {
  console.log(`\n${title} (% of busy time, ms)`);
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${(micros / 1000).toFixed(0).padStart(6)}  ${key}`);
  }
}

const [path, rowsArgument] = process.argv.slice(2);
if (!path) {
  console.error('usage: profile-summary <file.cpuprofile | directory> [rows]');
  process.exit(2);
}
const file = largestProfile(path);
const rows = Number(rowsArgument ?? 30);
const stretchesOf = process.env.PROFILE_STRETCHES_WITH;
if (stretchesOf) {
  for (const { atS, ms, inNameMs } of stretchesWith(JSON.parse(readFileSync(file, 'utf8')) as Profile, stretchesOf)) {
    console.log(`at ${atS.toFixed(2)} s: busy ${ms.toFixed(1)} ms, ${inNameMs.toFixed(1)} ms of it in ${stretchesOf}`);
  }
  process.exit(0);
}
const { busy, idle, selfByFunction, selfByFile, inclusive } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`);
print('self time by function', selfByFunction, busy, rows);
print('self time by file', selfByFile, busy, rows);
print('inclusive time by function', inclusive, busy, rows);
