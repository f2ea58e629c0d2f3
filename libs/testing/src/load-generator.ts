import { Pool } from 'undici';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: unknown;
}

export interface LoadAnswer {
  status: number;
  /** From the moment the request was due (open model) or sent (closed model) to the last byte. */
  latencyMs: number;
  /** When it was due or sent, ms since its phase began. */
  dueAfterMs: number;
  /**
   * From the moment it was due until this driver handed it to its pool: the driver's own lateness
   * (a busy event loop), which the latency includes but the server did not cause.
   */
  sendLagMs: number;
  retryAfter: string | undefined;
  body: string;
}

export interface LoadResult {
  answers: LoadAnswer[];
  /** Requests that got no HTTP answer at all (refused, reset, timed out). */
  failures: string[];
  /** From the first request's start to the last answer. */
  elapsedMs: number;
  /** Wall-clock time (ms since the epoch) the phase began: `dueAfterMs` counts from here. */
  startedAtMs: number;
  /** Connections the pool opened during the phase. */
  connectionsOpened: number;
}

/**
 * One keep-alive pool of `connections` sockets to a service: every phase of a benchmark shares it.
 * undici's pool rather than node:http's agent: the driver shares the box with what it measures, and
 * undici spends about half the CPU per request (docs/benchmarks.md, bench:flash-sale).
 */
export class LoadClient {
  private readonly pool: Pool;
  private connectionsOpened = 0;

  constructor(
    baseUrl: string,
    readonly connections: number,
    timeoutMs = 30_000,
  ) {
    this.pool = new Pool(new URL(baseUrl).origin, { connections, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    this.pool.on('connect', () => this.connectionsOpened++);
  }

  /**
   * Open model: request n starts at `n / ratePerSecond` s whatever the earlier answers (as k6's
   * constant-arrival-rate does), and its latency counts from that due time, so a server that falls
   * behind shows it in the latency instead of slowing the load down (no coordinated omission).
   */
  async openModel(ratePerSecond: number, durationS: number, next: (n: number) => LoadRequest): Promise<LoadResult> {
    const total = Math.round(ratePerSecond * durationS);
    const openedBefore = this.connectionsOpened;
    const startedAt = performance.now();
    const answers: LoadAnswer[] = [];
    const failures: string[] = [];
    const inFlight: Promise<void>[] = [];
    for (let n = 0; n < total; n++) {
      const dueAt = startedAt + (n * 1000) / ratePerSecond;
      const wait = dueAt - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(this.send(next(n), dueAt, startedAt).then((answer) => void answers.push(answer), (error: Error) => void failures.push(error.message)));
    }
    await Promise.all(inFlight);
    return { answers, failures, elapsedMs: performance.now() - startedAt, startedAtMs: performance.timeOrigin + startedAt, connectionsOpened: this.connectionsOpened - openedBefore };
  }

  /**
   * Closed model: each of `workers` (default: every connection) sends its next request as soon as the
   * previous one is answered, for `durationS`.
   */
  async closedModel(durationS: number, next: (n: number) => LoadRequest, workers = this.connections): Promise<LoadResult> {
    const openedBefore = this.connectionsOpened;
    const startedAt = performance.now();
    const endAt = startedAt + durationS * 1000;
    const answers: LoadAnswer[] = [];
    const failures: string[] = [];
    let n = 0;
    const worker = async () => {
      while (performance.now() < endAt) {
        try {
          answers.push(await this.send(next(n++), performance.now(), startedAt));
        } catch (error) {
          failures.push((error as Error).message);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, this.connections) }, worker));
    return { answers, failures, elapsedMs: performance.now() - startedAt, startedAtMs: performance.timeOrigin + startedAt, connectionsOpened: this.connectionsOpened - openedBefore };
  }

  close(): void {
    this.pool.destroy().catch(() => undefined);
  }

  private async send(load: LoadRequest, dueAt: number, phaseStartedAt: number): Promise<LoadAnswer> {
    const sendLagMs = performance.now() - dueAt;
    const payload = load.body === undefined ? undefined : JSON.stringify(load.body);
    const response = await this.pool.request({
      method: load.method,
      path: load.path,
      headers: payload === undefined ? undefined : { 'content-type': 'application/json' },
      body: payload,
    });
    const body = await response.body.text();
    const retryAfter = response.headers['retry-after'];
    return {
      status: response.statusCode,
      latencyMs: performance.now() - dueAt,
      dueAfterMs: dueAt - phaseStartedAt,
      sendLagMs,
      retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
      body,
    };
  }
}

/** The q-quantile (0..1) of `values`, nearest rank; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Answers per status code, e.g. `{ 202: 9120, 409: 50880 }`. */
export function countByStatus(answers: readonly LoadAnswer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
