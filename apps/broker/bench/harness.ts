import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

/** Message body size; its first 16 bytes carry the send time, the sequence number and the phase id. */
export const BODY_BYTES = 1024;
/** Messages each system's consumers may hold unacknowledged (RocketMQ: receive loops × batch; RabbitMQ: prefetch; NATS: pull batch). */
export const CONSUMER_IN_FLIGHT = 256;
/** End-to-end latency from which a paced message is written to LOOP_TRACE_DIR/slow.log (the p99 goal of issue 8), ms. */
const SLOW_MS = 10;
/** Linux clock ticks per second for /proc/<pid>/stat (CLK_TCK, 100 on every common kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

export interface Sink {
  /** A consumed message body, called on receipt (before the ack). */
  deliver(body: Uint8Array): void;
  /** A consumer failed: the running phase fails. */
  fail(error: Error): void;
}

/** One messaging system under test. */
export interface Driver {
  /** Connects, creates the queue/topic/stream and starts consuming into `sink`. */
  open(sink: Sink): Promise<void>;
  /** Resolves once the system has durably accepted the message. */
  publish(body: Buffer): Promise<void>;
  /** Server processes whose CPU time is reported (empty when unknown). */
  serverPids(): number[];
  /** Stops consuming, deletes what open() created, disconnects. Never throws. */
  close(): Promise<void>;
}

export interface Settings {
  messages: number;
  warmupMessages: number;
  window: number;
  pacedSeconds: number;
  /** Paced phase at this rate instead of half the max (latency of two builds at the same load). */
  pacedRate: number | undefined;
  phaseTimeoutMs: number;
  /** BENCH_COMPARE_BROKER: rounds of A and B. */
  compareRounds: number;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): Settings {
  const positive = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number, got ${env[name]}`);
    return value;
  };
  return {
    messages: Math.round(positive('BENCH_MESSAGES', 100_000)),
    // Node's JIT needs thousands of round trips before both processes run optimized code: after 2,000
    // the transport measured 30 % below its steady rate, while RabbitMQ and NATS (no JIT in their
    // servers) were already at theirs. Every system gets the same warm-up.
    warmupMessages: Math.round(positive('BENCH_WARMUP', 20_000)),
    window: Math.round(positive('BENCH_WINDOW', 128)),
    pacedSeconds: positive('BENCH_PACED_SECONDS', 5),
    pacedRate: env.BENCH_PACED_RATE === undefined ? undefined : positive('BENCH_PACED_RATE', 0),
    phaseTimeoutMs: positive('BENCH_PHASE_TIMEOUT_S', 120) * 1000,
    compareRounds: Math.max(1, Math.round(positive('BENCH_COMPARE_ROUNDS', 4))),
  };
}

export interface MaxResult {
  producerRate: number;
  consumerRate: number;
  p50: number;
  p99: number;
  /** CPU time over wall time, in % of one core. */
  clientCpu: number;
  serverCpu: number | undefined;
  /** CPU time per message, µs: the benchmark process (producer and consumers) and the server. */
  clientCpuPerMessage: number;
  serverCpuPerMessage: number | undefined;
}

export interface PacedResult {
  rate: number;
  p50: number;
  p99: number;
  /** CPU time per message while paced, µs: small batches cost more per message than the max's full ones. */
  clientCpuPerMessage: number;
  serverCpuPerMessage: number | undefined;
  /** Publish call until the system confirmed it (durable), ms: the send side's share of the end-to-end time. */
  publishP50: number;
  publishP99: number;
}

let nextPhaseId = 1;

/** Stamps the bodies of one phase and collects their end-to-end latencies; ignores bodies of other phases and duplicates. */
class Phase {
  readonly id = nextPhaseId++;
  readonly #latencies: Float64Array;
  readonly #seen: Uint8Array;
  #received = 0;
  #lastReceivedAt = 0;
  /** `<sent at, wall clock ms> <latency ms>` of slow messages, kept when `traceSlow` is on. */
  readonly slow: string[] = [];
  #settle: ((error?: Error) => void) | undefined;
  readonly #done: Promise<void>;

  constructor(
    readonly count: number,
    private readonly traceSlow = false,
  ) {
    this.#latencies = new Float64Array(count);
    this.#seen = new Uint8Array(count);
    this.#done = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error ? reject(error) : resolve());
    });
    this.#done.catch(() => undefined);
  }

  get lastReceivedAt(): number {
    return this.#lastReceivedAt;
  }

  body(seq: number): Buffer {
    const body = Buffer.alloc(BODY_BYTES, 'x');
    body.writeDoubleLE(performance.now(), 0);
    body.writeUInt32LE(seq, 8);
    body.writeUInt32LE(this.id, 12);
    return body;
  }

  readonly sink: Sink = {
    deliver: (bytes) => {
      const now = performance.now();
      if (bytes.byteLength < 16) return;
      const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const seq = body.readUInt32LE(8);
      if (body.readUInt32LE(12) !== this.id || seq >= this.count || this.#seen[seq]) return;
      this.#seen[seq] = 1;
      const sentAt = body.readDoubleLE(0);
      const latency = now - sentAt;
      this.#latencies[this.#received++] = latency;
      if (this.traceSlow && latency >= SLOW_MS) this.slow.push(`${(performance.timeOrigin + sentAt).toFixed(1)} ${latency.toFixed(1)}\n`);
      this.#lastReceivedAt = now;
      if (this.#received === this.count) this.#settle?.();
    },
    fail: (error) => this.#settle?.(error),
  };

  /** Resolves once every message of the phase was consumed. */
  consumed(): Promise<void> {
    return this.#done;
  }

  percentile(p: number): number {
    return percentileOfSorted(this.#latencies.slice(0, this.#received).sort(), p);
  }
}

/** The `p`th percentile of ascending values (nearest rank). */
export function percentileOfSorted(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The sink handed to a driver: forwards consumed bodies to the running phase; a failure fails every later phase too. */
export class Router implements Sink {
  #phase: Phase | undefined;
  #failure: Error | undefined;

  deliver(body: Uint8Array): void {
    this.#phase?.sink.deliver(body);
  }

  fail(error: Error): void {
    this.#failure ??= error;
    this.#phase?.sink.fail(error);
  }

  begin(phase: Phase): void {
    this.#phase = phase;
    if (this.#failure) phase.sink.fail(this.#failure);
  }
}

/** Bounds the publishes in flight; the first failure is thrown by the next start() or drain(). */
class InFlight {
  #active = 0;
  #wake: (() => void) | undefined;
  #failure: Error | undefined;

  constructor(private readonly limit: number) {}

  async start(task: () => Promise<void>): Promise<void> {
    while (this.#active >= this.limit) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#check();
    this.#active++;
    task()
      .catch((error: unknown) => (this.#failure ??= error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.#active--;
        const wake = this.#wake;
        this.#wake = undefined;
        wake?.();
      });
  }

  async drain(): Promise<void> {
    while (this.#active > 0) await new Promise<void>((resolve) => (this.#wake = resolve));
    this.#check();
  }

  #check(): void {
    if (this.#failure) throw this.#failure;
  }
}

/** Sends `count` messages as fast as `window` allows while the consumers run; waits until all are consumed. */
export async function measureMax(driver: Driver, router: Router, count: number, window: number, timeoutMs: number): Promise<MaxResult> {
  const phase = new Phase(count);
  router.begin(phase);
  const cpu = new CpuMeter(driver.serverPids());
  const start = performance.now();
  await withTimeout(
    (async () => {
      const inFlight = new InFlight(window);
      for (let seq = 0; seq < count; seq++) await inFlight.start(() => driver.publish(phase.body(seq)));
      await inFlight.drain();
    })(),
    timeoutMs,
    `publishing ${count} messages`,
  );
  const produced = performance.now() - start;
  await withTimeout(phase.consumed(), Math.max(1, timeoutMs - produced), `consuming ${count} messages`);
  const consumed = phase.lastReceivedAt - start;
  const { clientMs, serverMs } = cpu.read();
  const wall = performance.now() - start;
  return {
    producerRate: (count * 1000) / produced,
    consumerRate: (count * 1000) / consumed,
    p50: phase.percentile(50),
    p99: phase.percentile(99),
    clientCpu: (100 * clientMs) / wall,
    serverCpu: serverMs === undefined ? undefined : (100 * serverMs) / wall,
    clientCpuPerMessage: (clientMs * 1000) / count,
    serverCpuPerMessage: serverMs === undefined ? undefined : (serverMs * 1000) / count,
  };
}

/** Sends at a steady `rate` for `seconds` (bounded by `window` in flight) and reports end-to-end latency. */
export async function measurePaced(driver: Driver, router: Router, rate: number, seconds: number, window: number, timeoutMs: number): Promise<PacedResult> {
  const traceDir = process.env.LOOP_TRACE_DIR;
  const phase = new Phase(Math.max(1, Math.round(rate * seconds)), traceDir !== undefined);
  router.begin(phase);
  const interval = 1000 / rate;
  const publishTimes = new Float64Array(phase.count);
  const cpu = new CpuMeter(driver.serverPids());
  const start = performance.now();
  await withTimeout(
    (async () => {
      const inFlight = new InFlight(window);
      for (let seq = 0; seq < phase.count; seq++) {
        const wait = start + seq * interval - performance.now();
        // Timers are coarse: everything due within the next millisecond goes out now.
        if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
        await inFlight.start(async () => {
          const sent = performance.now();
          await driver.publish(phase.body(seq));
          publishTimes[seq] = performance.now() - sent;
        });
      }
      await inFlight.drain();
      await phase.consumed();
    })(),
    timeoutMs,
    `pacing ${phase.count} messages`,
  );
  const { clientMs, serverMs } = cpu.read();
  publishTimes.sort();
  if (traceDir) {
    mkdirSync(traceDir, { recursive: true });
    appendFileSync(join(traceDir, 'slow.log'), phase.slow.join(''));
  }
  return {
    rate: (phase.count * 1000) / (phase.lastReceivedAt - start),
    p50: phase.percentile(50),
    p99: phase.percentile(99),
    publishP50: percentileOfSorted(publishTimes, 50),
    publishP99: percentileOfSorted(publishTimes, 99),
    clientCpuPerMessage: (clientMs * 1000) / phase.count,
    serverCpuPerMessage: serverMs === undefined ? undefined : (serverMs * 1000) / phase.count,
  };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${Math.round(ms)} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Whether something accepts TCP connections on host:port within a second. */
export function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Ids of the local processes whose command name is `comm` (e.g. "beam.smp"); empty if none or not Linux. */
export function pidsNamed(comm: string): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === comm;
        } catch {
          return false; // exited meanwhile
        }
      })
      .map(Number);
  } catch {
    return [];
  }
}

/** CPU milliseconds spent since construction by this process and by the server's. */
class CpuMeter {
  readonly #client = process.cpuUsage();
  readonly #server: number | undefined;

  constructor(private readonly pids: number[]) {
    this.#server = processCpuMs(pids);
  }

  read(): { clientMs: number; serverMs: number | undefined } {
    const client = process.cpuUsage(this.#client);
    const server = processCpuMs(this.pids);
    return { clientMs: (client.user + client.system) / 1000, serverMs: this.#server === undefined || server === undefined ? undefined : server - this.#server };
  }
}

/** User + system CPU milliseconds of the processes, or undefined when any cannot be read. */
export function processCpuMs(pids: number[]): number | undefined {
  if (pids.length === 0) return undefined;
  let ticks = 0;
  for (const pid of pids) {
    try {
      // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return undefined;
    }
  }
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

export interface Row {
  system: string;
  max?: MaxResult;
  paced?: PacedResult;
}

const rate = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const cpu = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)}%`);
const micros = (value: number | undefined) => (value === undefined ? '—' : `${Math.round(value)}`);

/** Markdown table, one row per system; the ratio column is the reference row's throughput over the system's. */
export function table(rows: Row[], reference: Row): string {
  const ours = reference.max;
  const lines = [
    `| System | Produce msg/s | Consume msg/s (e2e) | e2e p50 / p99 ms at max | CPU client / server at max | CPU µs/msg client / server | Paced msg/s | e2e p50 / p99 ms at 50% | CPU µs/msg client / server at 50% | ${reference.system} ÷ system (produce / consume) |`,
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { system, max, paced } of rows) {
    const ratio = ours && max ? `${(ours.producerRate / max.producerRate).toFixed(2)}× / ${(ours.consumerRate / max.consumerRate).toFixed(2)}×` : '—';
    const cells = [
      system,
      max ? rate(max.producerRate) : '—',
      max ? rate(max.consumerRate) : '—',
      max ? `${ms(max.p50)} / ${ms(max.p99)}` : '—',
      max ? `${cpu(max.clientCpu)} / ${cpu(max.serverCpu)}` : '—',
      max ? `${micros(max.clientCpuPerMessage)} / ${micros(max.serverCpuPerMessage)}` : '—',
      paced ? rate(paced.rate) : '—',
      paced ? `${ms(paced.p50)} / ${ms(paced.p99)}` : '—',
      paced ? `${micros(paced.clientCpuPerMessage)} / ${micros(paced.serverCpuPerMessage)}` : '—',
      ratio,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The last line of the run: the transport's end-to-end rate over each peer's, and its p99 at half its own max. */
export function ratioLine(transport: Row, rabbitmq: Row, nats: Row): string {
  const over = (peer: Row) => (transport.max && peer.max ? (transport.max.consumerRate / peer.max.consumerRate).toFixed(2) : 'n/a');
  const p99 = transport.paced ? transport.paced.p99.toFixed(1) : 'n/a';
  return `ratio transport/rabbitmq=${over(rabbitmq)} transport/nats=${over(nats)} p99_half_ms=${p99}`;
}
