import { createServer } from 'node:net';

export interface PortClaim {
  port: number;
  /** Who needs the port, for the error message. */
  owner: string;
}

/**
 * Fails before anything starts when a fixed port is taken, naming the port and its owner; otherwise
 * the clash would surface as a service that "did not become ready" half-way through start-up.
 */
export async function assertPortsFree(claims: readonly PortClaim[], host = '127.0.0.1'): Promise<void> {
  for (const { port, owner } of claims) {
    if (!(await isFree(port, host))) {
      throw new Error(`port ${port} (${owner}) is already in use on ${host}: stop whatever listens there (\`ss -ltnp 'sport = :${port}'\`) and try again`);
    }
  }
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => (error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error)));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}
