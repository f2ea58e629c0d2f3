/**
 * Registration at a steady arrival rate (asynchronous decoupling): `POST /users` returns after one
 * database transaction and one transactional publish, while email and SMS are sent independently
 * behind the broker. What must hold: 201s stay fast, and any refusal is a 503 with Retry-After, never
 * an error. Needs k6 ≥ 0.57 (TypeScript); how to run it: load/README.md.
 *
 * Then compare `GET :3002/stats` (email/SMS sent) with the number of registrations.
 */
import { check } from 'k6';
import exec from 'k6/execution';
import http from 'k6/http';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';
import { registration } from './shop-requests.ts';

const REGISTRATION_URL = __ENV.REGISTRATION_URL ?? 'http://127.0.0.1:3001';
const RATE = Number(__ENV.RATE ?? 50);
const P95_MS = Number(__ENV.P95_MS ?? 500);

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
    // A 503 with Retry-After is the shop protecting itself; it counts as failed here and must stay rare.
    http_req_failed: ['rate<0.01'],
    checks: ['rate>0.99'],
  },
};

const shed = new Counter('registrations_shed');

export function setup(): { runId: number } {
  return { runId: Date.now() };
}

export default function ({ runId }: { runId: number }): void {
  const request = registration.register(REGISTRATION_URL, runId, exec.scenario.iterationInTest);
  const response = http.post(request.url, request.body ?? null, { headers: { 'content-type': 'application/json' }, tags: { name: 'POST /users' } });
  const outcome = registration.classify({ status: response.status, body: typeof response.body === 'string' ? response.body : '', retryAfter: response.headers['Retry-After'] ?? null });
  check(response, { 'registered (201) or shed (503 + Retry-After)': () => outcome !== 'broken' });
  if (outcome === 'shed') shed.add(1);
}
