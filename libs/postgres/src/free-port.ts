import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Ports this process has handed out: two callers racing (`Promise.all` of several) never get the same one. */
const handedOut = new Set<number>();

/**
 * A port nothing listens on right now, for a process started a moment later (Postgres, or a service a
 * test starts). It is picked below the kernel's ephemeral range: a port handed out by `listen(0)` goes
 * back to that range, where an outgoing connection of the processes starting meanwhile can take it
 * first (EADDRINUSE when the process binds it; seen in the demo e2e). Another process picking the same
 * port is still possible, rarely: the process started on it then fails loudly.
 */
export async function findFreePort(host = '127.0.0.1'): Promise<number> {
  const [low, high] = portWindow();
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await isPortFree(port, host)) return port;
  }
  throw new Error(`no free port in ${low}-${high} on ${host} after 100 tries`);
}

/** Whether the port can be bound on `host` now; errors other than "in use" or "not allowed" are thrown. */
export function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error)));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** [low, high): 12,000 ports below the start of the ephemeral range Linux publishes (32768 when unreadable, Linux's default). */
function portWindow(): [number, number] {
  let ephemeralStart = 32_768;
  try {
    ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || ephemeralStart;
  } catch {
    // not Linux: keep Linux's default
  }
  const high = Math.min(ephemeralStart, 32_768);
  return [Math.max(1_024, high - 12_000), high];
}
