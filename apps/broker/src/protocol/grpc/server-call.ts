import type { IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { frameHeader } from './framing';
import { GrpcError, GrpcStatus } from './grpc-status';

const RESPONSE_HEADERS: OutgoingHttpHeaders = {
  ':status': 200,
  'content-type': 'application/grpc+proto',
  'grpc-accept-encoding': 'identity,deflate,gzip',
  'grpc-encoding': 'identity',
};

/** Request headers read as gRPC metadata (lower-case keys; the first value of a repeated key). */
export class Metadata {
  constructor(private readonly headers: IncomingHttpHeaders) {}

  get(key: string): string | undefined {
    const value = this.headers[key];
    return Array.isArray(value) ? value[0] : value;
  }
}

const TIMEOUT = /^(\d{1,8})([HMSmun])$/;
const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 0.001, n: 0.000_001 };

/** The call's deadline in epoch milliseconds from its `grpc-timeout` header; Infinity without one. */
export function deadlineOf(timeout: string | undefined, now: number): number {
  if (timeout === undefined) return Infinity;
  const match = TIMEOUT.exec(timeout);
  if (!match) throw new GrpcError(GrpcStatus.INTERNAL, `invalid grpc-timeout value "${timeout}"`);
  return now + Number(match[1]) * UNIT_MS[match[2]];
}

/**
 * One RPC on one HTTP/2 stream, seen from the handler: its metadata and deadline, the responses it
 * writes and the status that ends it. Writes in one tick leave in one `writev` (the stream is corked
 * until the tick ends or the call does), so a batch of deliveries costs one socket write.
 */
export class ServerCall<Response = unknown> {
  readonly metadata: Metadata;
  readonly deadline: number;
  private headersSent = false;
  private finished = false;
  private corked = false;
  private isCancelled = false;
  private readonly cancelListeners: (() => void)[] = [];

  constructor(
    private readonly stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    private readonly serialize: (value: Response) => Buffer,
  ) {
    this.metadata = new Metadata(headers);
    this.deadline = deadlineOf(this.metadata.get('grpc-timeout'), Date.now());
    stream.once('close', () => {
      if (this.finished) return;
      this.finished = true;
      this.isCancelled = true;
      for (const listener of this.cancelListeners.splice(0)) listener();
    });
  }

  get path(): string {
    return this.metadata.get(':path') ?? '';
  }

  /** The client went away (reset the stream or closed the connection) before the call ended. */
  get cancelled(): boolean {
    return this.isCancelled;
  }

  /** Ended, by the handler or by the client: further writes are dropped. */
  get closed(): boolean {
    return this.finished;
  }

  onCancelled(listener: () => void): void {
    if (this.isCancelled) listener();
    else this.cancelListeners.push(listener);
  }

  /** A response message: an object the method's serializer encodes. */
  write(message: Response): void {
    if (this.finished) return;
    const bytes = this.serialize(message);
    this.send(frameHeader(bytes.length));
    this.send(bytes);
  }

  /** A response already encoded as a whole gRPC frame (header and message). */
  writeFrame(frame: Buffer): void {
    if (this.finished) return;
    this.send(frame);
  }

  /** Ends the call with a status: in trailers after responses, or as a trailers-only response. */
  end(code: GrpcStatus = GrpcStatus.OK, message = ''): void {
    if (this.finished) return;
    this.finished = true;
    if (this.stream.destroyed || this.stream.closed) return;
    const trailers: OutgoingHttpHeaders = { 'grpc-status': String(code) };
    if (message) trailers['grpc-message'] = encodeURI(message);
    if (!this.headersSent) {
      this.stream.respond({ ...RESPONSE_HEADERS, ...trailers }, { endStream: true });
      return;
    }
    this.stream.once('wantTrailers', () => this.stream.sendTrailers(trailers));
    this.stream.end();
  }

  fail(error: unknown): void {
    if (error instanceof GrpcError) this.end(error.code, error.message);
    else this.end(GrpcStatus.INTERNAL, error instanceof Error ? error.message : String(error));
  }

  /** After the response headers; the stream stays corked until the tick ends, so a tick's writes leave in one writev. */
  private send(bytes: Buffer): void {
    this.sendHeaders();
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      process.nextTick(() => {
        this.corked = false;
        this.stream.uncork();
      });
    }
    this.stream.write(bytes);
  }

  private sendHeaders(): void {
    if (this.headersSent) return;
    this.headersSent = true;
    this.stream.respond(RESPONSE_HEADERS, { waitForTrailers: true });
  }
}
