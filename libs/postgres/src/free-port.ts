import { createServer } from 'node:net';

/**
 * Asks the kernel for a free port by binding port 0 and releasing it. Another process could take the
 * port before Postgres binds it; the window is milliseconds, and Postgres then fails loudly.
 */
export function findFreePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port assigned'))));
    });
  });
}
