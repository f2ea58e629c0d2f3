import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertPortsFree } from './ports';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function listenOnFreePort(): Promise<number> {
  server = createServer();
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
}

describe('assertPortsFree', () => {
  it('names the taken port and who needed it', async () => {
    const port = await listenOnFreePort();
    await expect(assertPortsFree([{ port, owner: 'price-cache-2' }])).rejects.toThrow(`port ${port} (price-cache-2) is already in use`);
  });

  it('passes, and leaves the port free, when nobody listens', async () => {
    const port = await listenOnFreePort();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await assertPortsFree([{ port, owner: 'broker' }]);
    await expect(assertPortsFree([{ port, owner: 'broker' }])).resolves.toBeUndefined();
  });
});
