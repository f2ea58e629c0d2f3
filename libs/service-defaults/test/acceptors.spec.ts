import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type AcceptorListenOptions, listenWithAcceptors, reusePortSupported } from '../src/bootstrap/acceptors';

const CONNECTIONS = 200;

/** Opens a connection, sends one request and resolves with the status line, or rejects (refused). */
function request(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('end', () => resolve(answer.split('\r\n')[0]));
    socket.on('error', reject);
  });
}

describe('listenWithAcceptors', () => {
  let server: HttpServer | undefined;
  afterEach(() => new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve())));

  it.runIf(reusePortSupported())('serves connections accepted by every socket, and stops accepting on all of them when the server closes', async () => {
    const waiting: ServerResponse[] = [];
    let ownConnections = -1;
    server = createHttpServer((_req, res) => {
      waiting.push(res);
      if (waiting.length < CONNECTIONS) return;
      // Every connection is open now; the server counts only those it accepted on its own socket.
      http.getConnections((_error, count) => {
        ownConnections = count;
        for (const pending of waiting) pending.end('ok');
      });
    });
    const http = server;
    const listen = (options: AcceptorListenOptions) => new Promise<void>((resolve) => http.listen(options, resolve));
    await listenWithAcceptors(http, listen, { host: '127.0.0.1', port: 0, backlog: 1024 }, 4);
    const { port } = http.address() as AddressInfo;

    const answers = await Promise.all(Array.from({ length: CONNECTIONS }, () => request(port)));

    expect(answers.filter((line) => line === 'HTTP/1.1 200 OK')).toHaveLength(CONNECTIONS);
    // The kernel spread the connections over the sockets: the others accepted some of them.
    expect(ownConnections).toBeGreaterThanOrEqual(0);
    expect(ownConnections).toBeLessThan(CONNECTIONS);
    await new Promise<void>((resolve) => http.close(() => resolve()));
    await expect(request(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('listens on one socket where asked for one', async () => {
    server = createHttpServer((_req, res) => res.end('ok'));
    const http = server;
    let listenedWith: AcceptorListenOptions | undefined;
    const listen = (options: AcceptorListenOptions) => new Promise<void>((resolve) => http.listen((listenedWith = options), resolve));
    await listenWithAcceptors(http, listen, { host: '127.0.0.1', port: 0 }, 1);
    expect(listenedWith?.reusePort).toBe(false);
    expect(await request((http.address() as AddressInfo).port)).toBe('HTTP/1.1 200 OK');
  });

  it('knows where several sockets may share a port', () => {
    expect(reusePortSupported('linux', '24.22.3')).toBe(true);
    expect(reusePortSupported('linux', '22.12.0')).toBe(true);
    expect(reusePortSupported('linux', '22.11.0')).toBe(false);
    expect(reusePortSupported('linux', '20.20.2')).toBe(false);
    expect(reusePortSupported('darwin', '24.22.3')).toBe(false);
  });
});
