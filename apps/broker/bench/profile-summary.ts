/**
 * `npm run profile:summary -- <file.cpuprofile | directory> [rows]`: where a `--cpu-prof` profile's
 * time went, as shares of the busy (non-idle) time — self time by function and by file, and
 * inclusive time by function (each function counted once per sample, however deep it recurses).
 * For a directory, the largest profile in it (the process that ran longest). docs/benchmarks.md
 * shows how to profile the benchmark's client and broker.
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
const { busy, idle, selfByFunction, selfByFile, inclusive } = summarise(JSON.parse(readFileSync(file, 'utf8')) as Profile);
console.log(`${file}: busy ${(busy / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s`);
print('self time by function', selfByFunction, busy, rows);
print('self time by file', selfByFile, busy, rows);
print('inclusive time by function', inclusive, busy, rows);
