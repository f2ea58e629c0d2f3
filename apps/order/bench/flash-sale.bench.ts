/**
 * `npm run bench:flash-sale`: the k6 flash-sale spike, driven from Node against the local stack.
 *
 * 1. Spike, open model (requests start on schedule whatever the answers): `BENCH_RATE` req/s (2,000)
 *    for `BENCH_DURATION_S` (30), every buyer new, against `BENCH_STOCK` (10,000) units of FLASH-001.
 * 2. Drain: inventory decides every admitted purchase at its capped rate; then oversell and
 *    unfinished purchases are counted.
 * 3. Capacity, closed model over the same connections: GET /health of the order service (the no-op:
 *    what one HTTP round trip with a database ping costs on this box), admission of a live sale, and
 *    refusal by the sold-out gate (the spike's SKU, sold out by then).
 *
 * CPU per answer of every process (order, inventory, broker, embedded Postgres, this load generator)
 * is read from /proc around each phase: where a request's cost goes, measured in the same run.
 *
 * Ends with `flash-sale rate=… p99_ms=… errors=… oversell=… pending=… vs_noop=…` (docs/benchmarks.md).
 */
import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, type CpuByLabel, LoadClient, type LoadResult, Stack, countByStatus, cpuOfProcessTree, cpuSpent, quantile, waitFor } from '@rocketmq-shop/testing';
import { randomUUID } from 'node:crypto';
import { appendFileSync, createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const knobs = {
  rate: intEnv('BENCH_RATE', 2000),
  durationS: intEnv('BENCH_DURATION_S', 30),
  stock: intEnv('BENCH_STOCK', 10_000),
  connections: intEnv('BENCH_CONNECTIONS', 1024),
  capacityS: intEnv('BENCH_CAPACITY_S', 5),
  /** Requests at once in the capacity phases: enough to keep the service busy, few enough not to be shed. */
  capacityConnections: intEnv('BENCH_CAPACITY_CONNECTIONS', 128),
  /** Inventory's intake cap (INVENTORY_PURCHASE_RATE): half the spike's rate, so the broker holds the difference (peak shaving). */
  purchaseRate: intEnv('BENCH_PURCHASE_RATE', 1000),
  purchaseConcurrency: intEnv('BENCH_PURCHASE_CONCURRENCY', 64),
  drainTimeoutS: intEnv('BENCH_DRAIN_TIMEOUT_S', 300),
  /** Where to write every spike answer as CSV (due_ms,latency_ms,status,send_lag_ms), to plot or slice the spike; none by default. */
  answersCsv: process.env.BENCH_ANSWERS_CSV,
  /** Where to write the output of the broker and the services (LOG_LEVEL=warn), each line with its source; none by default. */
  serviceLog: process.env.BENCH_SERVICE_LOG,
  /** Node options of the order and inventory services, e.g. `--cpu-prof --cpu-prof-dir=…` (docs/benchmarks.md). */
  orderNodeArgs: (process.env.BENCH_ORDER_NODE_ARGS ?? '').split(' ').filter(Boolean),
  inventoryNodeArgs: (process.env.BENCH_INVENTORY_NODE_ARGS ?? '').split(' ').filter(Boolean),
};
const SPIKE_SKU = 'FLASH-001';
/** A second product with stock to spare, so the admission-capacity phase measures live admissions, not the gate. */
const CAPACITY_SKU = 'BOOK-MQ';
/** Spike answers from this latency on go to LOOP_TRACE_DIR/slow.log: issue 9's p99 goal, ms. */
const SLOW_ANSWER_MS = 100;
const SAMPLE_EVERY_MS = 500;

interface SaleStats {
  accepted: number;
  pending: number;
  confirmed: number;
  rejected: number;
  refusedSoldOut: number;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  log(`starting stack (INVENTORY_PURCHASE_RATE=${knobs.purchaseRate}, INVENTORY_PURCHASE_CONCURRENCY=${knobs.purchaseConcurrency}) ...`);
  const serviceLog = knobs.serviceLog ? createWriteStream(knobs.serviceLog) : undefined;
  const stack = await Stack.start({
    onLine: serviceLog && ((source, line) => serviceLog.write(`${new Date().toISOString()} ${source} ${line}\n`)),
    services: [
      { app: 'inventory', env: { INVENTORY_PURCHASE_RATE: String(knobs.purchaseRate), INVENTORY_PURCHASE_CONCURRENCY: String(knobs.purchaseConcurrency), LOG_LEVEL: 'warn' }, nodeArgs: knobs.inventoryNodeArgs },
      { app: 'order', env: { LOG_LEVEL: 'warn' }, nodeArgs: knobs.orderNodeArgs },
    ],
  });
  const client = new LoadClient(stack.url('order'), knobs.connections);
  try {
    await run(stack, client);
  } finally {
    client.close();
    await stack.stop();
    serviceLog?.end();
  }
}

async function run(stack: Stack, client: LoadClient): Promise<void> {
  const orderUrl = stack.url('order');
  const inventoryUrl = stack.url('inventory');
  const admin = new AdminClient(stack.broker);
  const sale = `spike-${Date.now()}`;
  const purchase = (saleId: string, sku: string) => () => ({ method: 'POST' as const, path: `/flash-sales/${saleId}/purchases`, body: { userId: randomUUID(), sku } });

  await put(`${inventoryUrl}/products/${SPIKE_SKU}/stock`, { stock: knobs.stock });
  await put(`${inventoryUrl}/products/${CAPACITY_SKU}/stock`, { stock: 2_000_000_000 });
  // The gate hears the new stock (stock-levels, broadcast) before the doors open.
  await waitFor(async () => (await getJson<{ available: number | null }>(`${orderUrl}/sold-out-gate/${SPIKE_SKU}`)).available === knobs.stock, { message: 'the gate to hear the stock' });
  // Warm-up: JIT, connection pools and the producer's routes, on a sale of its own, at a fifth of the
  // spike's rate (ordinary traffic before a sale); then a quiet second, as before a sale opens, so the
  // spike meets a service that is not still answering its warm-up.
  await client.openModel(knobs.rate / 5, 3, purchase(`warm-up-${Date.now()}`, CAPACITY_SKU));
  await new Promise((resolve) => setTimeout(resolve, 1000));

  const backlog = sampleBacklog(admin);
  log(`spike: ${knobs.rate} req/s for ${knobs.durationS} s over ${knobs.connections} connections, stock ${knobs.stock} (${new Date().toISOString()}) ...`);
  const spike = await withCpu(stack, () => client.openModel(knobs.rate, knobs.durationS, purchase(sale, SPIKE_SKU)));

  if (knobs.answersCsv) writeAnswersCsv(knobs.answersCsv, spike);
  if (process.env.LOOP_TRACE_DIR) writeSlowAnswers(process.env.LOOP_TRACE_DIR, spike);
  log('drain: waiting for inventory to decide every admitted purchase ...');
  const drainStartedAt = performance.now();
  const stats = await waitForDecisions(`${orderUrl}/flash-sales/${sale}/stats`);
  const drainS = (performance.now() - drainStartedAt) / 1000;
  const samples = await backlog.stop();
  const stockLeft = (await getJson<{ stock: number }>(`${inventoryUrl}/products/${SPIKE_SKU}`)).stock;

  const workers = knobs.capacityConnections;
  log(`capacity: ${knobs.capacityS} s each of GET /health, live admissions and sold-out refusals, closed model, ${workers} at once ...`);
  const noop = await withCpu(stack, () => client.closedModel(knobs.capacityS, () => ({ method: 'GET', path: '/health' }), workers));
  const admission = await withCpu(stack, () => client.closedModel(knobs.capacityS, purchase(`capacity-${Date.now()}`, CAPACITY_SKU), workers));
  const refusal = await withCpu(stack, () => client.closedModel(knobs.capacityS, purchase(sale, SPIKE_SKU), workers));

  reportCpu({ 'spike (incl. inventory deciding)': spike, 'no-op GET /health': noop, 'live admission': admission, 'sold-out refusal': refusal });
  report({ spike, stats, stockLeft, drainS, peakBacklog: Math.max(0, ...samples), noop, admission, refusal });
}

interface Phase extends LoadResult {
  /** CPU ms per process label spent while the phase ran. */
  cpu: CpuByLabel;
}

async function withCpu(stack: Stack, run: () => Promise<LoadResult>): Promise<Phase> {
  const before = cpuOfProcessTree(stack.processLabels());
  const result = await run();
  return { ...result, cpu: cpuSpent(before, cpuOfProcessTree(stack.processLabels())) };
}

/** µs of CPU per answer, per process and phase: where the box's two cores go. */
function reportCpu(phases: Record<string, Phase>): void {
  const labels = [...new Set(Object.values(phases).flatMap((phase) => [...phase.cpu.keys()]))].sort();
  if (labels.length === 0) return log('(no /proc here: CPU per process not measured)');
  const perAnswer = (phase: Phase, ms: number) => ((ms * 1000) / Math.max(1, phase.answers.length)).toFixed(0);
  const total = (phase: Phase) => [...phase.cpu.values()].reduce((sum, ms) => sum + ms, 0);
  const names = Object.keys(phases);
  const row = (name: string, cell: (phase: Phase) => string) => `| ${name} | ${names.map((phase) => cell(phases[phase])).join(' | ')} |`;
  log(`| CPU µs per answer | ${names.join(' | ')} |\n|---|${names.map(() => '---:').join('|')}|`);
  for (const label of labels) log(row(label, (phase) => perAnswer(phase, phase.cpu.get(label) ?? 0)));
  log(row('**all**', (phase) => perAnswer(phase, total(phase))));
  log(row('cores busy', (phase) => (total(phase) / phase.elapsedMs).toFixed(2)));
  log('');
}

function report(result: { spike: LoadResult; stats: SaleStats; stockLeft: number; drainS: number; peakBacklog: number; noop: LoadResult; admission: LoadResult; refusal: LoadResult }): void {
  const { spike, stats } = result;
  const byStatus = countByStatus(spike.answers);
  const acceptedDue = (when: (dueAfterMs: number) => boolean) => spike.answers.filter((answer) => answer.status === 202 && when(answer.dueAfterMs)).map((answer) => answer.latencyMs);
  const accepted = acceptedDue(() => true);
  const refusals = spike.answers.filter((answer) => answer.status === 409);
  const soldOutAnswers = refusals.filter((answer) => answer.body.includes('"sold-out"'));
  const soldOut = soldOutAnswers.length;
  const gateClosedAfterS = soldOutAnswers.length > 0 ? Math.min(...soldOutAnswers.map((answer) => answer.dueAfterMs + answer.latencyMs)) / 1000 : Number.NaN;
  const errors = spike.answers.length - (byStatus[202] ?? 0) - (byStatus[409] ?? 0) + spike.failures.length;
  const rate = spike.answers.length / (spike.elapsedMs / 1000);
  const oversell = Math.max(0, stats.confirmed - knobs.stock);
  const noopRate = okRate(result.noop, 200);
  const admissionRate = okRate(result.admission, 202);
  const fixed = (value: number, digits = 1) => value.toFixed(digits);
  const rows: [string, string][] = [
    ['offered / answered / no answer', `${Math.round(knobs.rate * knobs.durationS)} / ${spike.answers.length} / ${spike.failures.length}`],
    ['answers by status', Object.entries(byStatus).map(([status, count]) => `${status}: ${count}`).join(', ')],
    ['409 sold out (gate) / 409 repeat buyer', `${soldOut} / ${refusals.length - soldOut}`],
    ['first sold-out refusal answered after (s)', fixed(gateClosedAfterS)],
    ['accepted latency p50 / p99 / max (ms)', `${fixed(quantile(accepted, 0.5))} / ${fixed(quantile(accepted, 0.99))} / ${fixed(quantile(accepted, 1))}`],
    ['accepted p99, due in the first 2 s / later (ms)', `${fixed(quantile(acceptedDue((due) => due < 2000), 0.99))} / ${fixed(quantile(acceptedDue((due) => due >= 2000), 0.99))}`],
    ['all answers p99 (ms)', fixed(quantile(latencies(spike), 0.99))],
    // The driver shares the box: its own lateness is part of every latency above, not the service's doing.
    ['load generator lag, due to sent: p99 / max (ms)', `${fixed(quantile(spike.answers.map((a) => a.sendLagMs), 0.99))} / ${fixed(quantile(spike.answers.map((a) => a.sendLagMs), 1))}`],
    ['connections opened during the spike', String(spike.connectionsOpened)],
    ['achieved rate (answers/s over the spike)', fixed(rate)],
    ['backlog peak (purchase-requests)', String(result.peakBacklog)],
    ['drain after the spike (s)', fixed(result.drainS)],
    ['sold vs stock (stock left)', `${stats.confirmed} vs ${knobs.stock} (${result.stockLeft})`],
    ['decided: confirmed / rejected / pending', `${stats.confirmed} / ${stats.rejected} / ${stats.pending}`],
    ['no-op capacity, GET /health (req/s)', fixed(noopRate)],
    ['admission capacity, live sale (req/s)', fixed(admissionRate)],
    ['refusal capacity, sold-out sale (409/s)', fixed(okRate(result.refusal, 409))],
    ['capacity phases: p99 no-op / admission (ms)', `${fixed(quantile(latencies(result.noop), 0.99))} / ${fixed(quantile(latencies(result.admission), 0.99))}`],
    ['capacity phases: answers not 200 / not 202 / not 409', `${result.noop.answers.filter((a) => a.status !== 200).length} / ${result.admission.answers.filter((a) => a.status !== 202).length} / ${result.refusal.answers.filter((a) => a.status !== 409).length}`],
  ];
  log(`\n| Flash sale, open-model spike | Result |\n|---|---:|\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}\n`);
  log(
    `flash-sale rate=${fixed(rate)} p99_ms=${fixed(quantile(accepted, 0.99))} errors=${errors} oversell=${oversell} pending=${stats.pending} vs_noop=${fixed(admissionRate / noopRate, 2)}`,
  );
}

function writeAnswersCsv(path: string, result: LoadResult): void {
  const rows = result.answers.map((answer) => `${answer.dueAfterMs.toFixed(1)},${answer.latencyMs.toFixed(1)},${answer.status},${answer.sendLagMs.toFixed(1)}`);
  writeFileSync(path, `due_ms,latency_ms,status,send_lag_ms\n${rows.join('\n')}\n`);
  log(`spike answers written to ${path}`);
}

/** Spike answers slower than the 100 ms p99 goal, as `<due at, wall clock ms> <latency ms>`, for `npm run trace:summary` (docs/benchmarks.md). */
function writeSlowAnswers(dir: string, result: LoadResult): void {
  const slow = result.answers.filter((answer) => answer.latencyMs >= SLOW_ANSWER_MS);
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, 'slow.log'), slow.map((answer) => `${(result.startedAtMs + answer.dueAfterMs).toFixed(1)} ${answer.latencyMs.toFixed(1)}\n`).join(''));
  log(`${slow.length} spike answers over ${SLOW_ANSWER_MS} ms written to ${join(dir, 'slow.log')}`);
}

function latencies(result: LoadResult): number[] {
  return result.answers.map((answer) => answer.latencyMs);
}

/** Answers with `status` per second of the phase. */
function okRate(result: LoadResult, status: number): number {
  return result.answers.filter((answer) => answer.status === status).length / (result.elapsedMs / 1000);
}

/** Samples the broker's backlog of the purchase intake until stopped. */
function sampleBacklog(admin: AdminClient): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let sampling = true;
  const running = (async () => {
    while (sampling) {
      samples.push((await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic)).backlog);
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  return {
    stop: async () => {
      sampling = false;
      await running;
      return samples;
    },
  };
}

/** The sale's stats once nothing is pending, or as they are when the drain timeout passes. */
async function waitForDecisions(statsUrl: string): Promise<SaleStats> {
  const deadline = Date.now() + knobs.drainTimeoutS * 1000;
  for (;;) {
    const stats = await getJson<SaleStats>(statsUrl);
    if (stats.pending === 0 || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return (await response.json()) as T;
}

async function put(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`PUT ${url} answered ${response.status}`);
}

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw ? Number(raw) : fallback;
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`flash-sale bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
