import { inventoryPurchasesGroup, purchaseRequested } from '@rocketmq-shop/contracts';
import { AdminClient, Stack } from '@rocketmq-shop/testing';
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

// The k6 flash-sale scenario, driven from Node with autocannon against the local stack:
// a spike of purchase requests, each from a new user, against a small stock.

const knobs = {
  requests: intEnv('BENCH_REQUESTS', 2000),
  connections: intEnv('BENCH_CONNECTIONS', 64),
  stock: intEnv('BENCH_STOCK', 100),
  rate: intEnv('BENCH_PURCHASE_RATE', 50),
  concurrency: intEnv('BENCH_PURCHASE_CONCURRENCY', 4),
  drainTimeoutS: intEnv('BENCH_DRAIN_TIMEOUT_S', 300),
};
const SALE = `bench-${Date.now()}`;
const SKU = 'FLASH-001';
const SAMPLE_EVERY_MS = 500;

interface Sample {
  atMs: number;
  backlog: number;
  acked: number;
}

interface SaleStats {
  accepted: number;
  pending: number;
  confirmed: number;
  rejected: number;
}

async function main(): Promise<void> {
  process.stdout.write(`starting stack (INVENTORY_PURCHASE_RATE=${knobs.rate}, INVENTORY_PURCHASE_CONCURRENCY=${knobs.concurrency}) ...\n`);
  const stack = await Stack.start({
    services: [
      { app: 'inventory', env: { INVENTORY_PURCHASE_RATE: String(knobs.rate), INVENTORY_PURCHASE_CONCURRENCY: String(knobs.concurrency), LOG_LEVEL: 'warn' } },
      { app: 'order', env: { LOG_LEVEL: 'warn' } },
    ],
  });
  try {
    await run(stack);
  } finally {
    await stack.stop();
  }
}

async function run(stack: Stack): Promise<void> {
  const admin = new AdminClient(stack.broker);
  const orderUrl = stack.url('order');
  await put(`${stack.url('inventory')}/products/${SKU}/stock`, { stock: knobs.stock });

  const startedAt = Date.now();
  const samples: Sample[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const state = await admin.groupTopic(inventoryPurchasesGroup.name, purchaseRequested.topic);
      samples.push({ atMs: Date.now() - startedAt, backlog: state.backlog, acked: state.acked });
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();

  process.stdout.write(`spike: ${knobs.requests} purchase requests over ${knobs.connections} connections ...\n`);
  const spike = await autocannon({
    url: orderUrl,
    connections: knobs.connections,
    amount: knobs.requests,
    requests: [
      {
        method: 'POST',
        path: `/flash-sales/${SALE}/purchases`,
        headers: { 'content-type': 'application/json' },
        setupRequest: (request) => ({ ...request, body: JSON.stringify({ userId: randomUUID(), sku: SKU }) }),
      },
    ],
  });
  const spikeEndedMs = Date.now() - startedAt;

  const stats = await waitForDecisions(orderUrl);
  const decidedMs = Date.now() - startedAt;
  while (samples.at(-1)?.backlog !== 0) await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  sampling = false;
  await sampler;
  const stockLeft = ((await (await fetch(`${stack.url('inventory')}/products/${SKU}`)).json()) as { stock: number }).stock;

  report({ spike, spikeEndedMs, decidedMs, samples, stats, stockLeft });
}

function report(result: { spike: autocannon.Result; spikeEndedMs: number; decidedMs: number; samples: Sample[]; stats: SaleStats; stockLeft: number }): void {
  const { spike, samples, stats } = result;
  const peak = samples.reduce((best, sample) => (sample.backlog > best.backlog ? sample : best), samples[0]);
  const drained = samples.find((sample) => sample.atMs > peak.atMs && sample.backlog === 0) ?? samples.at(-1)!;
  // Drain rate: acknowledgements per second from the peak until the backlog was empty.
  const drainRate = (drained.acked - peak.acked) / ((drained.atMs - peak.atMs) / 1000);
  const rows: [string, string][] = [
    ['requests sent / 202 accepted / other', `${spike.requests.total} / ${stats.accepted} / ${spike.requests.total - stats.accepted}`],
    ['accepted latency p50 / p99 / max (ms)', `${spike.latency.p50} / ${spike.latency.p99} / ${spike.latency.max}`],
    ['requests/s (average over the spike)', `${Math.round(spike.requests.average)}`],
    ['spike duration (s)', `${(result.spikeEndedMs / 1000).toFixed(1)}`],
    ['backlog peak (messages, at s)', `${peak.backlog} at ${(peak.atMs / 1000).toFixed(1)}`],
    ['backlog drained at (s after spike start)', `${(drained.atMs / 1000).toFixed(1)}`],
    ['drain rate vs INVENTORY_PURCHASE_RATE (msg/s)', `${drainRate.toFixed(1)} vs ${knobs.rate}`],
    ['sold vs stock (stock left)', `${stats.confirmed} vs ${knobs.stock} (${result.stockLeft})`],
    ['terminal states: confirmed / rejected / pending', `${stats.confirmed} / ${stats.rejected} / ${stats.pending}`],
  ];
  process.stdout.write(`\n| Flash sale (peak shaving) | Result |\n|---|---:|\n${rows.map(([name, value]) => `| ${name} | ${value} |`).join('\n')}\n`);
  process.stdout.write(`\nbacklog over time (s: messages): ${samples.filter((_, i) => i % 4 === 0).map((s) => `${(s.atMs / 1000).toFixed(0)}:${s.backlog}`).join(' ')}\n`);
}

async function waitForDecisions(orderUrl: string): Promise<SaleStats> {
  const deadline = Date.now() + knobs.drainTimeoutS * 1000;
  for (;;) {
    const stats = (await (await fetch(`${orderUrl}/flash-sales/${SALE}/stats`)).json()) as SaleStats;
    if (stats.pending === 0) return stats;
    if (Date.now() > deadline) throw new Error(`purchases still pending after ${knobs.drainTimeoutS} s: ${JSON.stringify(stats)}`);
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
  }
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
