import type { Server as HttpServer } from 'node:http';
import { type AddressInfo, type ListenOptions, type Server, createServer } from 'node:net';
import { positiveIntegerEnv } from '../config/positive-integer-env';

/**
 * Listening sockets per service. Node (libuv) accepts one connection per listening socket per turn of
 * its event loop, and a turn of a busy service lasts milliseconds: the 450 connections a flash sale's
 * load opened in its first half second waited up to a second to be accepted, while the requests on
 * the connections already open were answered in tens of ms (ADR 0030). Eight sockets accept eight
 * connections per turn.
 */
const DEFAULT_ACCEPTORS = 8;

/** server.listen's options; `reusePort` is Node 22.12+, newer than the typings this repository builds against. */
export type AcceptorListenOptions = ListenOptions & { reusePort?: boolean };

/** Several sockets of one process listening on one port (SO_REUSEPORT, server.listen's `reusePort`): Linux, Node 22.12+. */
export function reusePortSupported(platform: string = process.platform, nodeVersion: string = process.versions.node): boolean {
  const [major, minor] = nodeVersion.split('.').map(Number);
  return platform === 'linux' && (major > 22 || (major === 22 && minor >= 12));
}

/** `HTTP_ACCEPTORS` (a positive integer, 8 by default) where reusePortSupported, else 1. */
export function acceptorsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  return reusePortSupported() ? positiveIntegerEnv('HTTP_ACCEPTORS', DEFAULT_ACCEPTORS, env) : 1;
}

/**
 * Makes `server` listen through `listen` (Nest's `app.listen`, or the server's own), then opens
 * `count - 1` more sockets on the same port that hand what they accept to it. The kernel spreads
 * new connections over all of them. Closing the server closes them too, at once, so that a
 * draining service stops taking connections on every socket.
 */
export async function listenWithAcceptors(server: HttpServer, listen: (options: AcceptorListenOptions) => Promise<unknown>, options: ListenOptions, count: number): Promise<void> {
  await listen({ ...options, reusePort: count > 1 });
  if (count <= 1) return;
  const { port } = server.address() as AddressInfo;
  const acceptors = await Promise.all(Array.from({ length: count - 1 }, () => openAcceptor(server, { ...options, port, reusePort: true })));
  const close = server.close.bind(server);
  server.close = (callback?: (error?: Error) => void) => {
    for (const acceptor of acceptors) acceptor.close();
    return close(callback);
  };
}

function openAcceptor(server: HttpServer, options: AcceptorListenOptions): Promise<Server> {
  return new Promise((resolve, reject) => {
    // A socket the HTTP server did not accept itself is still served by it, as Node documents for 'connection'.
    const acceptor = createServer((socket) => server.emit('connection', socket));
    acceptor.once('error', reject);
    acceptor.listen(options, () => {
      acceptor.off('error', reject);
      // An error accepting (EMFILE, say) is the server's, as it would be on its own socket.
      acceptor.on('error', (error) => server.emit('error', error));
      resolve(acceptor);
    });
  });
}
