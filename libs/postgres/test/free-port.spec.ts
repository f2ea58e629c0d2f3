import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../src/free-port';

describe('findFreePort', () => {
  it('picks a bindable port below the kernel ephemeral range, where outgoing connections never land', async () => {
    const ephemeralStart = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 20 }, () => findFreePort()));
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(1_024);
      expect(port).toBeLessThan(ephemeralStart);
    }
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(ports[0], '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('never hands the same port to two callers racing each other', async () => {
    // 2,000 picks from a window of 12,000 would repeat a port almost surely if picked at random alone.
    const ports: number[] = [];
    for (let round = 0; round < 20; round++) ports.push(...(await Promise.all(Array.from({ length: 100 }, () => findFreePort()))));
    expect(new Set(ports).size).toBe(ports.length);
  });
});
