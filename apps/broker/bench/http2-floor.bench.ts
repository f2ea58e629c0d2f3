/**
 * `node apps/broker/dist/bench/http2-floor.bench.js [rates…]` (after `nx run broker:build`): the floor under
 * every latency the transport benchmark reports — a bare Node HTTP/2 unary round trip (1 KiB up, 200 B
 * down, gRPC-style headers and trailers) between this process and an echo server in a child process, paced
 * at each rate (requests/s, open model) for BENCH_FLOOR_SECONDS (8). Prints CPU µs per request on both
 * sides and the round trip's p50 / p99: no broker, no storage, no protobuf — only the runtime, its
 * HTTP/2 stack and the machine. Node flags given to this process (e.g. --max-semi-space-size) reach the
 * echo server too.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { type ClientHttp2Session, connect, constants, createServer } from 'node:http2';
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { percentileOfSorted, processCpuMs } from './harness';

const REQUEST = Buffer.alloc(1024, 'x');
const RESPONSE = Buffer.alloc(200, 'y');
const WARMUP_REQUESTS = 5_000;

/** The child: answers every stream with RESPONSE and an OK grpc-status trailer, like a unary gRPC call. */
function serve(): void {
  const server = createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      stream.respond({ [constants.HTTP2_HEADER_STATUS]: 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(RESPONSE);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send?.(typeof address === 'object' && address ? address.port : 0);
  });
}

function call(session: ClientHttp2Session): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = session.request({ ':method': 'POST', ':path': '/floor.Echo/Call', 'content-type': 'application/grpc', te: 'trailers' });
    request.on('data', () => undefined);
    request.on('end', () => resolve(performance.now() - started));
    request.on('error', reject);
    request.end(REQUEST);
  });
}

/** CPU ms of the echo server so far. */
function serverMs(server: ChildProcess): number {
  const ms = processCpuMs([server.pid!]);
  if (ms === undefined) throw new Error('echo server CPU time unreadable');
  return ms;
}

async function paced(session: ClientHttp2Session, server: ChildProcess, rate: number, seconds: number): Promise<string> {
  const count = Math.round(rate * seconds);
  const roundTrips = new Float64Array(count);
  const calls: Promise<void>[] = [];
  const clientBefore = process.cpuUsage();
  const serverBefore = serverMs(server);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / rate - performance.now();
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    calls.push(call(session).then((ms) => void (roundTrips[i] = ms)));
  }
  await Promise.all(calls);
  const client = process.cpuUsage(clientBefore);
  const serverUsed = serverMs(server) - serverBefore;
  roundTrips.sort();
  const micros = (ms: number) => Math.round((ms * 1000) / count);
  return `| ${rate.toLocaleString('en-US')} | ${micros((client.user + client.system) / 1000)} / ${micros(serverUsed)} | ${percentileOfSorted(roundTrips, 50).toFixed(2)} / ${percentileOfSorted(roundTrips, 99).toFixed(1)} |`;
}

async function main(): Promise<void> {
  const rates = process.argv.slice(2).map(Number);
  const seconds = Number(process.env.BENCH_FLOOR_SECONDS ?? 8);
  if (rates.some((rate) => !(rate > 0)) || !(seconds > 0)) throw new RangeError('usage: http2-floor.bench.js [requests/s …] (positive numbers)');
  const server = fork(__filename, ['--serve'], { execArgv: process.execArgv });
  try {
    const port = await new Promise<number>((resolve) => server.once('message', (message) => resolve(Number(message))));
    const session = connect(`http://127.0.0.1:${port}`);
    for (let i = 0; i < WARMUP_REQUESTS; i++) await call(session);
    console.log(`# Node HTTP/2 unary round trip, no broker: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), node ${process.version} ${process.execArgv.join(' ')}`);
    console.log('| Requests/s | CPU µs/request client / server | Round trip p50 / p99 ms |\n|---:|---:|---:|');
    for (const rate of rates.length > 0 ? rates : [500, 1_000, 2_000, 4_000]) console.log(await paced(session, server, rate, seconds));
    session.close();
  } finally {
    server.kill();
  }
}

if (process.argv.includes('--serve')) serve();
else
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
