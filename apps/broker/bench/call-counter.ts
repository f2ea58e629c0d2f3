/**
 * Loaded into the broker with `--require` (`BENCH_BROKER_NODE_ARGS="--require <this file's build>"`) when
 * CALL_COUNTS_FILE is set (docs/benchmarks.md): appends, once a second, how many HTTP/2 streams arrived per
 * `:path` (one per gRPC call) and how many `fs.writev` / `fs.write` calls the process submitted — the
 * per-request work that CPU per message hides when batches shrink.
 */
import fs from 'node:fs';
import http2 from 'node:http2';

const file = process.env.CALL_COUNTS_FILE;

if (file) {
  const counts = new Map<string, number>();
  const count = (key: string, by = 1) => counts.set(key, (counts.get(key) ?? 0) + by);

  const createServer = http2.createServer;
  http2.createServer = ((...args: Parameters<typeof createServer>) => {
    const server = createServer(...args);
    server.on('stream', (_stream, headers) => count(String(headers[':path'])));
    return server;
  }) as typeof createServer;

  const writev = fs.writev;
  fs.writev = ((...args: Parameters<typeof writev>) => {
    count('fs.writev');
    count('fs.writev buffers', args[1].length);
    return writev(...args);
  }) as typeof writev;
  const write = fs.write;
  fs.write = ((...args: Parameters<typeof write>) => {
    count('fs.write');
    return (write as (...a: unknown[]) => void)(...args);
  }) as typeof write;

  setInterval(() => {
    fs.appendFileSync(file, `${new Date().toISOString()} ${JSON.stringify(Object.fromEntries(counts))}\n`);
    counts.clear();
  }, 1000).unref();
}
