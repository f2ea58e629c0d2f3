import { createServer, type Http2Server, type Http2Session, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { MethodDefinition, ServiceDefinition } from '@grpc/proto-loader';
import type { Logger } from 'pino';
import { MessageReader, messageEncoding } from './framing';
import { GrpcError, GrpcStatus } from './grpc-status';
import { ServerCall } from './server-call';

/** A request/response method: the handler's result is the response. */
export type UnaryHandler = (request: never, call: ServerCall) => Promise<unknown>;
/** A server-streaming method: the handler writes responses and ends the call. */
export type ServerStreamHandler = (request: never, call: ServerCall) => void;
/** A bidirectional method: the handler returns what to do with each request message and with the client's end. */
export type BidiHandler = (call: ServerCall) => { message(request: never): void; end(): void };

export type Handler = UnaryHandler | ServerStreamHandler | BidiHandler;

interface Route {
  method: MethodDefinition<unknown, unknown>;
  handler: Handler;
}

export interface GrpcServerOptions {
  /** Largest request message accepted; larger ones end the call with RESOURCE_EXHAUSTED. */
  maxReceiveBytes: number;
  logger: Logger;
}

/**
 * Receive windows of the connection and of each stream. HTTP/2's default, 64 KiB, is smaller than one
 * batched SendMessage or AckMessage: a request would stop halfway until this event loop's next turn
 * sent WINDOW_UPDATE, so a busy broker's round trip grew with the size of the batches, which grow when
 * round trips do. Java's gRPC server (Netty) starts at 1 MiB and tunes upwards.
 */
const WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * gRPC over node:http2, for the services loaded by @grpc/proto-loader: unary, server-streaming and
 * bidirectional methods, deadlines, gzip/deflate requests, trailers. The broker's data path runs
 * here rather than through @grpc/grpc-js's server, whose per-call interceptor chain and one stream
 * write per response message cost more CPU than the broker's own work per message (ADR 0013).
 */
export class GrpcServer {
  private readonly routes = new Map<string, Route>();
  private readonly sessions = new Set<Http2Session>();
  private readonly server: Http2Server;

  constructor(private readonly options: GrpcServerOptions) {
    // Memory is bounded by the broker's own limits (message size, batch size, flow control), not per session.
    this.server = createServer({ maxSessionMemory: Number.MAX_SAFE_INTEGER, settings: { initialWindowSize: WINDOW_BYTES } });
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.setLocalWindowSize(WINDOW_BYTES);
      session.on('error', () => undefined); // a broken connection closes its streams, which cancels their calls
      session.once('close', () => this.sessions.delete(session));
    });
    this.server.on('stream', (stream, headers) => this.dispatch(stream, headers));
  }

  /** Serves the methods of `service` that have a handler of the same name; the others answer UNIMPLEMENTED. */
  addService(service: ServiceDefinition, handlers: Record<string, Handler>): void {
    for (const [name, handler] of Object.entries(handlers)) {
      const method = service[name];
      if (!method) throw new Error(`${name} is not a method of the service`);
      this.routes.set(method.path, { method: method as MethodDefinition<unknown, unknown>, handler });
    }
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops accepting connections, lets running calls finish for up to `graceMs`, then drops the rest. */
  async close(graceMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.close();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
    await Promise.race([closed, grace]);
    for (const session of this.sessions) session.destroy();
    await closed;
  }

  private dispatch(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined); // a reset stream ends in 'close': the call sees it as cancelled
    if (!String(headers['content-type'] ?? '').startsWith('application/grpc')) {
      stream.respond({ ':status': 415 }, { endStream: true });
      return;
    }
    const route = this.routes.get(String(headers[':path']));
    const call = new ServerCall(stream, headers, route?.method.responseSerialize ?? (() => Buffer.alloc(0)));
    try {
      if (!route) throw new GrpcError(GrpcStatus.UNIMPLEMENTED, `method ${headers[':path']} is not served here`);
      const reader = new MessageReader(messageEncoding(call.metadata.get('grpc-encoding')), this.options.maxReceiveBytes);
      if (route.method.requestStream) this.streamRequests(stream, call, reader, route);
      else this.readRequest(stream, call, reader, route);
    } catch (error) {
      call.fail(error);
    }
  }

  /** Unary and server-streaming methods: one request message, then the handler. */
  private readRequest(stream: ServerHttp2Stream, call: ServerCall, reader: MessageReader, { method, handler }: Route): void {
    const messages: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      if (call.closed) return;
      try {
        for (const message of reader.push(chunk)) messages.push(message);
      } catch (error) {
        call.fail(error);
      }
    });
    stream.once('end', () => {
      if (call.closed) return;
      if (messages.length !== 1 || reader.incomplete) return call.end(GrpcStatus.INTERNAL, `expected one request message, got ${messages.length}${reader.incomplete ? ' and part of another' : ''}`);
      const request = this.decode(method, messages[0], call);
      if (request === undefined) return;
      if (method.responseStream) return this.guard(call, () => (handler as ServerStreamHandler)(request as never, call));
      this.guard(call, async () => {
        const response = await (handler as UnaryHandler)(request as never, call);
        call.write(response);
        call.end();
      });
    });
  }

  private streamRequests(stream: ServerHttp2Stream, call: ServerCall, reader: MessageReader, { method, handler }: Route): void {
    let listener: ReturnType<BidiHandler> | undefined;
    this.guard(call, () => {
      listener = (handler as BidiHandler)(call);
    });
    stream.on('data', (chunk: Buffer) => {
      if (call.closed || !listener) return;
      try {
        for (const message of reader.push(chunk)) {
          const request = this.decode(method, message, call);
          if (request === undefined) return;
          listener.message(request as never);
        }
      } catch (error) {
        call.fail(error);
      }
    });
    stream.once('end', () => {
      if (!call.closed) this.guard(call, () => listener?.end());
    });
  }

  private decode(method: MethodDefinition<unknown, unknown>, bytes: Buffer, call: ServerCall): unknown {
    try {
      return method.requestDeserialize(bytes);
    } catch (error) {
      call.end(GrpcStatus.INTERNAL, `request of ${method.path} could not be decoded: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A handler that throws (its own errors are statuses in the response body) ends the call with INTERNAL, logged. */
  private guard(call: ServerCall, run: () => void | Promise<void>): void {
    const failed = (error: unknown) => {
      this.options.logger.error({ err: error, path: call.path }, 'gRPC handler failed');
      call.end(GrpcStatus.INTERNAL, 'internal error');
    };
    try {
      const result = run();
      if (result) result.catch(failed);
    } catch (error) {
      failed(error);
    }
  }
}
