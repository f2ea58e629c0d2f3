/**
 * `npm run bench:registration`: the scenario page's asynchronous-decoupling comparison, measured.
 * The user's wait for a registration when email and SMS (simulated, `BENCH_PROVIDER_MS` = 50 ms each)
 * are called serially, in parallel, or left to RocketMQ: the real `POST /users` of apps/registration
 * (DB transaction + transactional half message + commit) with apps/notification consuming. One
 * request at a time (`BENCH_REGISTRATIONS` each, after `BENCH_WARMUP`), so latency is not queueing.
 *
 * Then an open-model arrival phase (requests start on schedule whatever the answers):
 * `BENCH_ARRIVAL_RATE` (300) registrations per second for `BENCH_ARRIVAL_S` (20) s. It must answer
 * no 5xx but 503 with Retry-After, and its 201s' p99 is the figure to watch.
 * BENCH_REGISTRATION_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") adds node flags to registration.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { type CpuByLabel, LoadClient, type LoadResult, Stack, countByStatus, cpuOfProcessTree, cpuSpent, quantile, waitFor } from '@rocketmq-shop/testing';
import { type CallStyle, SynchronousRegistration } from './synchronous-registration';

const REGISTRATIONS = Number(process.env.BENCH_REGISTRATIONS ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const PROVIDER_MS = Number(process.env.BENCH_PROVIDER_MS ?? 50);
const ARRIVAL_RATE = Number(process.env.BENCH_ARRIVAL_RATE ?? 300);
const ARRIVAL_S = Number(process.env.BENCH_ARRIVAL_S ?? 20);
const ARRIVAL_CONNECTIONS = 128;
const REGISTRATION_NODE_ARGS = (process.env.BENCH_REGISTRATION_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Approach {
  name: string;
  waitsFor: string;
  claimMs: number;
  url: () => string;
}

const log = (line: string) => process.stdout.write(`${line}\n`);
const run = randomUUID().slice(0, 8);
let sequence = 0;

function newUser(): { email: string; phone: string; name: string } {
  const n = sequence++;
  return { email: `bench-${run}-${n}@example.com`, phone: `+49151${randomInt(1_000_000, 9_999_999)}`, name: `Bench ${n}` };
}

async function registerOnce(url: string): Promise<number> {
  const body = JSON.stringify(newUser());
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await response.arrayBuffer();
  if (response.status !== 201) throw new Error(`POST ${url} answered ${response.status}`);
  return performance.now() - started;
}

async function measure(url: string): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < WARMUP; i++) await registerOnce(url);
  const samples: number[] = [];
  for (let i = 0; i < REGISTRATIONS; i++) samples.push(await registerOnce(url));
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)];
  return { p50: at(0.5), p99: at(0.99) };
}

async function main(): Promise<void> {
  const stack = await Stack.start({
    services: [{ app: 'registration', nodeArgs: REGISTRATION_NODE_ARGS }, { app: 'notification', env: { NOTIFICATION_PROVIDER_LATENCY_MS: String(PROVIDER_MS), LOG_LEVEL: 'warn' } }],
  });
  const synchronous = new SynchronousRegistration(stack.database.url, PROVIDER_MS);
  try {
    await synchronous.start();
    const baseline = (style: CallStyle) => () => `${synchronous.url}/${style}`;
    const approaches: Approach[] = [
      { name: 'Serial calls', waitsFor: `DB write + email ${PROVIDER_MS} ms + SMS ${PROVIDER_MS} ms`, claimMs: 150, url: baseline('serial') },
      { name: 'Parallel calls', waitsFor: `DB write + max(email, SMS)`, claimMs: 100, url: baseline('parallel') },
      { name: 'RocketMQ (POST /users)', waitsFor: 'DB transaction + half message + commit', claimMs: 55, url: () => `${stack.url('registration')}/users` },
    ];
    const rows: string[] = [];
    for (const approach of approaches) {
      const { p50, p99 } = await measure(approach.url());
      log(`${approach.name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
      rows.push(`| ${approach.name} | ${approach.waitsFor} | ${p50.toFixed(1)} | ${p99.toFixed(1)} | ${approach.claimMs} |`);
    }

    log(`arrival: ${ARRIVAL_RATE} registrations/s for ${ARRIVAL_S} s over ${ARRIVAL_CONNECTIONS} connections ...`);
    const client = new LoadClient(stack.url('registration'), ARRIVAL_CONNECTIONS);
    const cpuBefore = cpuOfProcessTree(stack.processLabels());
    const arrival = await client.openModel(ARRIVAL_RATE, ARRIVAL_S, () => ({ method: 'POST', path: '/users', body: newUser() }));
    const arrivalCpu = cpuSpent(cpuBefore, cpuOfProcessTree(stack.processLabels()));
    client.close();

    // Decoupled is only a win if nothing is lost: every registration gets its email and its SMS.
    const expected = WARMUP + REGISTRATIONS + arrival.answers.filter((answer) => answer.status === 201).length;
    const started = performance.now();
    const stats = await waitFor(
      async () => {
        const current = (await (await fetch(`${stack.url('notification')}/stats`)).json()) as { email: { sent: number }; sms: { sent: number } };
        return current.email.sent >= expected && current.sms.sent >= expected && current;
      },
      { timeoutMs: 120_000, message: `${expected} emails and SMS` },
    );

    log('');
    log('| Approach | The user waits for | p50 ms | p99 ms | Scenario page, ms |');
    log('|---|---|---:|---:|---:|');
    for (const row of rows) log(row);
    log('');
    log(`Messaging: ${expected} registrations → ${stats.email.sent} emails and ${stats.sms.sent} SMS delivered (all done ${((performance.now() - started) / 1000).toFixed(1)} s after the last response).`);
    reportArrival(arrival);
    reportCpu(arrivalCpu, arrival.elapsedMs);
  } finally {
    await synchronous.stop().catch(() => undefined);
    await stack.stop();
  }
}

function reportArrival(arrival: LoadResult): void {
  const created = arrival.answers.filter((answer) => answer.status === 201).map((answer) => answer.latencyMs);
  const shed = arrival.answers.filter((answer) => answer.status === 503 && Number(answer.retryAfter) > 0).length;
  const bad5xx = arrival.answers.filter((answer) => answer.status >= 500).length - shed + arrival.failures.length;
  const rate = arrival.answers.length / (arrival.elapsedMs / 1000);
  log('');
  log(`Arrival phase: ${JSON.stringify(countByStatus(arrival.answers))}, no answer ${arrival.failures.length}; 201 p50 ${quantile(created, 0.5).toFixed(1)} ms, p99 ${quantile(created, 0.99).toFixed(1)} ms`);
  for (const [reason, count] of countBy(arrival.failures)) log(`no answer (${count}×): ${reason}`);
  log(`registration rate=${rate.toFixed(1)} p99_ms=${quantile(created, 0.99).toFixed(1)} created=${created.length} shed_503=${shed} other_5xx=${bad5xx}`);
}

/** Where the box's cores went during the arrival phase, per process (from /proc; notification catches up meanwhile). */
function reportCpu(cpu: CpuByLabel, elapsedMs: number): void {
  if (cpu.size === 0) return void log('(no /proc here: CPU per process not measured)');
  const busy = [...cpu.values()].reduce((sum, ms) => sum + ms, 0) / elapsedMs;
  const shares = [...cpu].sort(([, a], [, b]) => b - a).map(([label, ms]) => `${label} ${(ms / elapsedMs).toFixed(2)}`);
  log(`Arrival phase CPU, cores busy per process: ${shares.join(', ')}; all ${busy.toFixed(2)}`);
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
