import { isPortFree } from '@rocketmq-shop/postgres';

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
    if (!(await isPortFree(port, host))) {
      throw new Error(`port ${port} (${owner}) is already in use on ${host}: stop whatever listens there (\`ss -ltnp 'sport = :${port}'\`) and try again`);
    }
  }
}
