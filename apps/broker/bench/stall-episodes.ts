/** What loop-trace.ts wrote for one process, and the slow operations a benchmark wrote beside it. */
export interface ProcessTrace {
  /** The app (`broker`, `order`, …) or the script's file name (`broker.bench`). */
  name: string;
  /** `<name> (<pid>)`: tells two processes of one name apart. */
  label: string;
  /** Event-loop stalls: start (wall-clock ms), length, and the GC pause inside it if there was one. */
  stalls: Stall[];
  gcs: Pause[];
}

export interface Pause {
  at: number;
  ms: number;
  kind: string;
}

export interface Stall extends Pause {
  /** `gc-minor`, `gc-major`, … when a GC pause of the process started inside the stall; else `busy`. */
  cause: string;
}

export interface SlowOperation {
  at: number;
  ms: number;
}

export interface Episode {
  at: number;
  end: number;
  operations: number;
  worstMs: number;
  /** The stalls of every process that overlap the episode, longest first. */
  stalls: { label: string; stall: Stall }[];
}

/** Parses one `<pid>.log` of loop-trace.ts: a JSON header, then `<at> lag <ms>` and `<at> gc-<kind> <ms>` lines. */
export function parseProcessTrace(text: string): ProcessTrace {
  const [header, ...lines] = text.split('\n').filter((line) => line.length > 0);
  const { pid, argv } = JSON.parse(header) as { pid: number; argv: string[] };
  const lags: Pause[] = [];
  const gcs: Pause[] = [];
  for (const line of lines) {
    const [at, kind, ms] = line.split(' ');
    (kind === 'lag' ? lags : gcs).push({ at: Number(at), ms: Number(ms), kind });
  }
  const stalls = lags.map((lag) => {
    const gc = gcs.find((pause) => pause.at >= lag.at - 1 && pause.at <= lag.at + lag.ms);
    return { ...lag, cause: gc?.kind ?? 'busy' };
  });
  const name = processName(argv[0] ?? '');
  return { name, label: `${name} (${pid})`, stalls, gcs };
}

/** `…/apps/<name>/dist/src/main.js` is the app's name; anything else its script's file name. */
export function processName(script: string): string {
  const app = /apps\/([^/]+)\/dist\/src\/main\.js$/.exec(script);
  return app ? app[1] : (script.split('/').pop() ?? script).replace(/\.js$/, '');
}

/** Slow operations that overlap or follow each other within `gapMs` form one episode, with the stalls of that time. */
export function episodesOf(operations: readonly SlowOperation[], processes: readonly ProcessTrace[], gapMs = 20): Episode[] {
  const episodes: Episode[] = [];
  for (const op of [...operations].sort((a, b) => a.at - b.at)) {
    const current = episodes.at(-1);
    if (current && op.at <= current.end + gapMs) {
      current.end = Math.max(current.end, op.at + op.ms);
      current.operations++;
      current.worstMs = Math.max(current.worstMs, op.ms);
    } else {
      episodes.push({ at: op.at, end: op.at + op.ms, operations: 1, worstMs: op.ms, stalls: [] });
    }
  }
  for (const episode of episodes) {
    for (const { label, stalls } of processes) {
      for (const stall of stalls) if (stall.at < episode.end && stall.at + stall.ms > episode.at) episode.stalls.push({ label, stall });
    }
    episode.stalls.sort((a, b) => b.stall.ms - a.stall.ms);
  }
  return episodes;
}

/**
 * Each slow operation charged to the longest stall of any process that overlaps it (`<process>: <cause>`),
 * or to `no stall` when every loop kept turning: counts per charge, largest first.
 */
export function chargeOperations(operations: readonly SlowOperation[], processes: readonly ProcessTrace[]): [string, number][] {
  const charges = new Map<string, number>();
  for (const op of operations) {
    let longest: { name: string; stall: Stall } | undefined;
    for (const { name, stalls } of processes) {
      for (const stall of stalls) {
        if (stall.at < op.at + op.ms && stall.at + stall.ms > op.at && (!longest || stall.ms > longest.stall.ms)) longest = { name, stall };
      }
    }
    const charge = longest ? `${longest.name}: ${longest.stall.cause}` : 'no stall';
    charges.set(charge, (charges.get(charge) ?? 0) + 1);
  }
  return [...charges].sort((a, b) => b[1] - a[1]);
}
