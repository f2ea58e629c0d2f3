/**
 * Flash-sale spike (peak-load shifting): thousands of shoppers per second hit
 * `POST /flash-sales/:saleId/purchases`; the order service only admits each request into the
 * purchase-requests topic (202) and inventory drains the backlog at its capped rate. What must hold:
 * accepted requests stay fast (p99) however deep the backlog, and a repeat buyer gets 409.
 *
 * Run against `npm run demo` (k6 ≥ 0.57 runs TypeScript as is; 0.52–0.56 need
 * `--compatibility-mode=experimental_enhanced`):
 *
 *   k6 run load/flash-sale.ts
 *   k6 run -e PEAK_RATE=4000 -e ORDER_URL=http://127.0.0.1:3003 -e SKU=FLASH-001 -e ACCEPTED_P99_MS=200 load/flash-sale.ts
 *
 * Then watch the backlog drain: `GET <broker admin>/groups/inventory-purchases` and
 * `GET :3003/flash-sales/<saleId>/stats` until pending is 0 (teardown prints the stats once).
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';

const ORDER_URL = __ENV.ORDER_URL ?? 'http://127.0.0.1:3003';
const SKU = __ENV.SKU ?? 'FLASH-001';
const PEAK_RATE = Number(__ENV.PEAK_RATE ?? 3000);
const ACCEPTED_P99_MS = Number(__ENV.ACCEPTED_P99_MS ?? 200);
/** Every n-th request repeats the previous shopper, who must not buy twice. */
const REPEAT_EVERY = 50;

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      timeUnit: '1s',
      startRate: 50,
      preAllocatedVUs: 200,
      maxVUs: 2000,
      stages: [
        { target: 50, duration: '10s' }, // before the sale
        { target: PEAK_RATE, duration: '5s' }, // the doors open
        { target: PEAK_RATE, duration: '20s' }, // the rush
        { target: 0, duration: '5s' },
      ],
    },
  },
  thresholds: {
    // Admission must stay cheap however deep the backlog behind it grows.
    'http_req_duration{status:202}': [`p(99)<${ACCEPTED_P99_MS}`],
    // 202 and 409 are both correct answers (see setResponseCallback below); anything else is a failure.
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

http.setResponseCallback(http.expectedStatuses(202, 409));

const repeatPurchasesRefused = new Counter('repeat_purchases_refused');

interface Run {
  saleId: string;
  /** Makes this run's shoppers distinct from earlier runs' against the same sale. */
  runId: number;
}

export function setup(): Run {
  const runId = Date.now();
  return { saleId: __ENV.SALE_ID ?? `k6-${runId}`, runId };
}

/** A valid UUID (version 4 layout) per shopper, unique across the test without any randomness. */
function shopperId(runId: number, shopper: number): string {
  const hex = (value: number, width: number) => value.toString(16).padStart(width, '0').slice(-width);
  return `${hex(runId, 8)}-0000-4000-8000-${hex(shopper, 12)}`;
}

export default function (run: Run): void {
  const iteration = exec.scenario.iterationInTest;
  const repeat = iteration % REPEAT_EVERY === REPEAT_EVERY - 1;
  const userId = shopperId(run.runId, repeat ? iteration - 1 : iteration);
  const response = http.post(`${ORDER_URL}/flash-sales/${run.saleId}/purchases`, JSON.stringify({ userId, sku: SKU }), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /flash-sales/:saleId/purchases' },
  });
  check(response, {
    'admitted (202) or already bought (409)': (r) => r.status === 202 || r.status === 409,
    '202 says where to follow the request': (r) => r.status !== 202 || typeof r.json('statusUrl') === 'string',
  });
  if (response.status === 409) repeatPurchasesRefused.add(1);
}

export function teardown(run: Run): void {
  const stats = http.get(`${ORDER_URL}/flash-sales/${run.saleId}/stats`);
  console.log(`sale ${run.saleId} right after the spike: ${stats.body}`);
}
