/**
 * Registration at a steady rate (asynchronous decoupling): `POST /users` returns after one database
 * transaction and one transactional publish, while email and SMS are sent independently behind the
 * broker. What must hold: 201 for every request, and low latency that does not depend on the
 * (simulated, slow) email and SMS providers.
 *
 * Run against `npm run demo` (k6 ≥ 0.57 runs TypeScript as is; 0.52–0.56 need
 * `--compatibility-mode=experimental_enhanced`):
 *
 *   k6 run load/registration.ts
 *   k6 run -e RATE=200 -e DURATION=1m -e REGISTRATION_URL=http://127.0.0.1:3001 load/registration.ts
 *
 * Then compare `GET :3002/stats` (email/SMS sent) with the number of registrations.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import type { Options } from 'k6/options';

const REGISTRATION_URL = __ENV.REGISTRATION_URL ?? 'http://127.0.0.1:3001';
const RATE = Number(__ENV.RATE ?? 100);
const P95_MS = Number(__ENV.P95_MS ?? 150);

export const options: Options = {
  scenarios: {
    steady: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '30s',
      preAllocatedVUs: 50,
      maxVUs: 500,
    },
  },
  thresholds: {
    'http_req_duration{status:201}': [`p(95)<${P95_MS}`],
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

export function setup(): { runId: number } {
  return { runId: Date.now() };
}

export default function ({ runId }: { runId: number }): void {
  const n = exec.scenario.iterationInTest;
  const body = {
    email: `k6-${runId}-${n}@example.com`,
    // E.164: + and up to 15 digits.
    phone: `+1555${String(n % 10_000_000).padStart(7, '0')}`,
    name: `Load test user ${n}`,
  };
  const response = http.post(`${REGISTRATION_URL}/users`, JSON.stringify(body), {
    headers: { 'content-type': 'application/json' },
    tags: { name: 'POST /users' },
  });
  check(response, {
    'registered (201)': (r) => r.status === 201,
    'answers with the new userId': (r) => r.status !== 201 || typeof r.json('userId') === 'string',
  });
}
