import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ControlError, type ReplicaControl } from './replica-control';

const MAX_BODY_BYTES = 4096;
const PROCESS_PATH = /^\/processes\/([A-Za-z0-9_-]+)$/;
const REASONS: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

/**
 * The demo's control API (only with faults enabled): `GET /processes`, `PUT /processes/:instance
 * {running}`. Bound to 127.0.0.1 — it stops processes, so nothing off this machine may reach it.
 */
export class ControlServer {
  private constructor(private readonly server: Server) {}

  static async start(control: ReplicaControl, port: number): Promise<ControlServer> {
    const server = createServer((request, response) => void answer(control, request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return new ControlServer(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function answer(control: ReplicaControl, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const path = new URL(request.url ?? '/', 'http://control').pathname;
    const instance = PROCESS_PATH.exec(path)?.[1];
    if (path === '/processes' && request.method === 'GET') return send(response, 200, control.list());
    if (instance && request.method === 'PUT') return send(response, 200, await control.setRunning(instance, await jsonBody(request)));
    if (path === '/processes' || instance) return sendError(response, 405, `${request.method} is not allowed on ${path}`);
    sendError(response, 404, `no route ${path}; try GET /processes or PUT /processes/<instance> {"running": false}`);
  } catch (error) {
    if (error instanceof ControlError) sendError(response, error.status, error.message);
    else sendError(response, 500, error instanceof Error ? error.message : String(error));
  }
}

async function jsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ControlError(400, `the body must be at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ControlError(400, 'the body must be JSON: {"running": true} or {"running": false}');
  }
}

function sendError(response: ServerResponse, status: number, message: string): void {
  send(response, status, { statusCode: status, error: REASONS[status], message });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}
