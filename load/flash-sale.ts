/**
 * Flash-sale spike (peak-load shifting): shoppers hit `POST /flash-sales/:saleId/purchases`; the
 * order service admits each request into the purchase-requests topic (202), refuses a sold-out sale
 * at its gate (409) and sheds what it cannot answer in time (503 + Retry-After); inventory drains the
 * backlog at its capped rate. Needs k6 ≥ 0.57 (TypeScript); how to run it: load/README.md.
 *
 * setup() sets the stock; teardown() waits for the backlog to drain and fails the run (exit code 110)
 * if more was sold than stocked or a purchase stays undecided.
 */
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import http, { type RefinedParams, type ResponseType } from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { type ShopAnswer, type ShopRequest, flashSale, shopperId } from './shop-requests.ts';

const ORDER_URL = __ENV.ORDER_URL ?? 'http://127.0.0.1:3003';
const INVENTORY_URL = __ENV.INVENTORY_URL ?? 'http://127.0.0.1:3004';
const SKU = __ENV.SKU ?? 'FLASH-001';
const STOCK = Number(__ENV.STOCK ?? 2000);
const PEAK_RATE = Number(__ENV.PEAK_RATE ?? 200);
const ACCEPTED_P99_MS = Number(__ENV.ACCEPTED_P99_MS ?? 1000);
const DRAIN_TIMEOUT_S = Number(__ENV.DRAIN_TIMEOUT_S ?? 300);
/** Every n-th request repeats the previous shopper, who must not buy twice. */
const REPEAT_EVERY = 50;

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      timeUnit: '1s',
      startRate: 10,
      preAllocatedVUs: 100,
      maxVUs: 1000,
      stages: [
        { target: 10, duration: '10s' }, // before the sale
        { target: PEAK_RATE, duration: '5s' }, // the doors open
        { target: PEAK_RATE, duration: '20s' }, // the rush
        { target: 0, duration: '5s' },
      ],
    },
  },
  // setup() and teardown() wait on the drain; give them the time.
  setupTimeout: '60s',
  teardownTimeout: `${DRAIN_TIMEOUT_S + 60}s`,
  thresholds: {
    // Admission must stay cheap however deep the backlog behind it grows.
    'http_req_duration{scenario:spike,status:202}': [`p(99)<${ACCEPTED_P99_MS}`],
    // Only the spike's requests: 202 and 409 are correct answers there (see the responseCallback).
    'http_req_failed{scenario:spike}': ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

const admitted = new Counter('purchases_admitted');
const refusedSoldOut = new Counter('purchases_refused_sold_out');
const refusedRepeat = new Counter('purchases_refused_repeat_buyer');
const shed = new Counter('purchases_shed');

interface Run {
  saleId: string;
  /** Makes this run's shoppers distinct from earlier runs' against the same sale. */
  runId: number;
}

/** Sends a request built by shop-requests.ts with k6 and hands the answer back in its terms. */
function send(request: ShopRequest, params: RefinedParams<ResponseType>): ShopAnswer {
  const response = http.request(request.method, request.url, request.body ?? null, { ...params, headers: { 'content-type': 'application/json' } });
  return { status: response.status, body: typeof response.body === 'string' ? response.body : '', retryAfter: response.headers['Retry-After'] ?? null };
}

const setupParams = { responseCallback: http.expectedStatuses(200), tags: { name: 'setup and teardown' } };

export function setup(): Run {
  const answer = send(flashSale.setStock(INVENTORY_URL, SKU, STOCK), setupParams);
  if (answer.status !== 200) exec.test.abort(`setting the stock of ${SKU} answered ${answer.status}: ${answer.body}`);
  const runId = Date.now();
  return { saleId: __ENV.SALE_ID ?? `k6-${runId}`, runId };
}

export default function (run: Run): void {
  const iteration = exec.scenario.iterationInTest;
  const repeat = iteration % REPEAT_EVERY === REPEAT_EVERY - 1;
  const userId = shopperId(run.runId, repeat ? iteration - 1 : iteration);
  const answer = send(flashSale.purchase(ORDER_URL, run.saleId, userId, SKU), {
    responseCallback: http.expectedStatuses(202, 409),
    tags: { name: 'POST /flash-sales/:saleId/purchases' },
  });
  const outcome = flashSale.classify(answer);
  check(answer, { 'admitted (202), refused (409) or shed (503 + Retry-After)': () => outcome !== 'broken' });
  if (outcome === 'admitted') admitted.add(1);
  else if (outcome === 'sold-out') refusedSoldOut.add(1);
  else if (outcome === 'repeat-buyer') refusedRepeat.add(1);
  else if (outcome === 'shed') shed.add(1);
}

export function teardown(run: Run): void {
  const deadline = Date.now() + DRAIN_TIMEOUT_S * 1000;
  let stats = flashSale.readStats(send(flashSale.stats(ORDER_URL, run.saleId), setupParams));
  while (stats.pending > 0 && Date.now() < deadline) {
    sleep(1);
    stats = flashSale.readStats(send(flashSale.stats(ORDER_URL, run.saleId), setupParams));
  }
  console.log(`sale ${run.saleId} after the drain: ${JSON.stringify(stats)}`);
  const problems = flashSale.problems(stats, STOCK);
  if (problems.length > 0) exec.test.fail(problems.join('; '));
}
