/**
 * `npm run bench:broker`: the broker of apps/broker against RabbitMQ (quorum queue) and NATS JetStream on this
 * machine, in one run. Each system: a warm-up, (a) max throughput with a bounded window of publishes in flight
 * while consumers run, (b) end-to-end latency when publishing at half of that system's own max rate.
 * Peers that do not answer on localhost are skipped. Environment: see settingsFromEnv in harness.ts;
 * BENCH_BROKER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") adds node flags to the broker process;
 * BENCH_SYSTEMS (e.g. "transport", "transport,official") runs only those rows, for profiling one client;
 * BENCH_COMPARE_BROKER=<another build's apps/broker/dist/src/main.js> runs only the transport's row, against this
 * build's broker (A) and that one (B) in turns (A B, B A, …) for BENCH_COMPARE_ROUNDS rounds (4), paced at one rate.
 */
import { cpus, freemem, totalmem } from 'node:os';
import { alternate, compareLine, type Build } from './compare-builds';
import { measureMax, measurePaced, ratioLine, reachable, Router, settingsFromEnv, table, type Driver, type Row, type Settings } from './harness';
import { NatsDriver } from './nats';
import { RabbitMqDriver } from './rabbitmq';
import { RocketMqDriver } from './rocketmq';
import { TransportDriver } from './transport';

type SystemKey = 'transport' | 'official' | 'rabbitmq' | 'nats';

interface System {
  key: SystemKey;
  name: string;
  /** A peer on localhost: skipped when nothing listens there. */
  peer?: { product: string; host: string; port: number };
  create(): Driver;
}

const brokerNodeArgs = () => (process.env.BENCH_BROKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

const systems: System[] = [
  { key: 'transport', name: 'RocketMQ via transport (apps/broker, fsync on)', create: () => new TransportDriver(brokerNodeArgs()) },
  { key: 'official', name: 'RocketMQ official client (apps/broker, fsync on)', create: () => new RocketMqDriver(brokerNodeArgs()) },
  {
    key: 'rabbitmq',
    name: 'RabbitMQ (quorum queue, confirms)',
    peer: { product: 'RabbitMQ', host: '127.0.0.1', port: 5672 },
    create: () => new RabbitMqDriver('amqp://guest:guest@127.0.0.1:5672'),
  },
  { key: 'nats', name: 'NATS JetStream (file storage)', peer: { product: 'NATS', host: '127.0.0.1', port: 4222 }, create: () => new NatsDriver('nats://127.0.0.1:4222') },
];

const selected = (process.env.BENCH_SYSTEMS ?? '').split(',').filter(Boolean);

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Runs both phases against one system; a failure becomes a note, never an exception. */
async function bench(system: System, settings: Settings): Promise<{ row: Row; note?: string }> {
  const row: Row = { system: system.name };
  if (system.peer && !(await reachable(system.peer.host, system.peer.port))) {
    return { row, note: `${system.peer.product} not reachable on ${system.peer.host}:${system.peer.port}: skipped` };
  }
  const driver = system.create();
  const router = new Router();
  try {
    await driver.open(router);
    await measureMax(driver, router, settings.warmupMessages, settings.window, settings.phaseTimeoutMs);
    row.max = await measureMax(driver, router, settings.messages, settings.window, settings.phaseTimeoutMs);
    const rate = settings.pacedRate ?? row.max.consumerRate / 2;
    log(`${system.name}: ${Math.round(row.max.consumerRate)} msg/s end to end at max; pacing at ${Math.round(rate)} msg/s`);
    row.paced = await measurePaced(driver, router, rate, settings.pacedSeconds, settings.window, settings.phaseTimeoutMs);
    log(`${system.name}: paced, publish until confirmed p50 / p99 ${row.paced.publishP50.toFixed(2)} / ${row.paced.publishP99.toFixed(2)} ms`);
    return { row };
  } catch (error) {
    return { row, note: `${system.name} failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    await driver.close();
  }
}

/** BENCH_COMPARE_BROKER: the transport's row against two broker builds, in turns, paced at the same rate. */
async function compareBrokers(otherMain: string, settings: Settings): Promise<number> {
  const rounds = settings.compareRounds;
  const builds: [Build, Build] = [{ label: 'A' }, { label: 'B', main: otherMain }];
  log(`comparing broker builds, ${rounds} rounds: A = this build, B = ${otherMain}`);
  let paced = settings;
  const [a, b] = await alternate(builds, rounds, async (build, round) => {
    const name = `transport, broker ${build.label}, round ${round}`;
    const { row, note } = await bench({ key: 'transport', name, create: () => new TransportDriver(brokerNodeArgs(), build.main) }, paced);
    if (note) log(note);
    // Every later run is paced at half the first one's max, so that the p99s compare at one load.
    if (paced.pacedRate === undefined && row.max) paced = { ...settings, pacedRate: row.max.consumerRate / 2 };
    return row;
  });
  const interleaved = a.flatMap((row, i) => [row, b[i]]);
  log(['', table(interleaved, a[0]), '', compareLine(a, b)].join('\n'));
  return interleaved.every((row) => row.max && row.paced) ? 0 : 1;
}

async function main(): Promise<number> {
  const settings = settingsFromEnv(process.env);
  const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);
  log(`# broker benchmark ${new Date().toISOString()}`);
  log(`${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${gib(freemem())}/${gib(totalmem())} GiB free, node ${process.version}`);
  log(`${settings.messages} messages of 1 KiB at max (after ${settings.warmupMessages} warm-up), ${settings.window} publishes in flight, ${settings.pacedSeconds} s paced at 50%`);
  if (process.env.BENCH_COMPARE_BROKER) return compareBrokers(process.env.BENCH_COMPARE_BROKER, settings);
  const rows = new Map<SystemKey, Row>();
  const notes: string[] = [];
  for (const system of systems.filter((s) => selected.length === 0 || selected.includes(s.key))) {
    const { row, note } = await bench(system, settings);
    rows.set(system.key, row);
    if (note) {
      notes.push(`- ${note}`);
      log(note);
    }
  }
  const row = (key: SystemKey) => rows.get(key) ?? { system: key };
  log(['', table([...rows.values()], row('transport')), '', ...notes, '', ratioLine(row('transport'), row('rabbitmq'), row('nats'))].join('\n'));
  // Our own broker must work through both clients; a missing or failing peer only costs its row.
  const ours = [rows.get('transport'), rows.get('official')].filter((r) => r !== undefined);
  return ours.every((r) => r.max && r.paced) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
