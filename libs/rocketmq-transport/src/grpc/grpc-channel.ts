import { type ClientHttp2Session, type ClientHttp2Stream, connect, constants, type OutgoingHttpHeaders } from 'node:http2';

/** A gRPC call that ended without an OK grpc-status (transport failures included). */
export class GrpcCallError extends Error {
  constructor(
    readonly grpcCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'GrpcCallError';
  }
}

const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;
const GRPC_INTERNAL = 13;
const FRAME_HEADER_BYTES = 5;
/** Large windows: a batch of 32 deliveries of 1 KiB must not wait for WINDOW_UPDATE round trips. */
const WINDOW_BYTES = 16 * 1024 * 1024;

/**
 * A gRPC client channel on node:http2 for unary and server-streaming calls with binary messages
 * (length-prefixed frames, grpc-status in trailers, grpc-timeout for deadlines). One HTTP/2 session
 * per endpoint, opened on first use and again after the server closed it (a broker restart).
 */
export class GrpcChannel {
  private session: ClientHttp2Session | undefined;
  private closed = false;

  constructor(
    readonly endpoint: string,
    private readonly tls: boolean,
  ) {}

  /** Sends one request message and resolves with every response message of the call. */
  call(path: string, request: Buffer, headers: OutgoingHttpHeaders, timeoutMs: number): Promise<Buffer[]> {
    return new Promise<Buffer[]>((resolve, reject) => {
      let stream: ClientHttp2Stream;
      try {
        stream = this.open().request({
          ...headers,
          [constants.HTTP2_HEADER_METHOD]: 'POST',
          [constants.HTTP2_HEADER_PATH]: path,
          [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
          [constants.HTTP2_HEADER_TE]: 'trailers',
          'grpc-timeout': `${Math.max(1, Math.ceil(timeoutMs))}m`,
        });
      } catch (error) {
        reject(new GrpcCallError(GRPC_UNAVAILABLE, `${path} to ${this.endpoint}: ${(error as Error).message}`));
        return;
      }
      const frames = new FrameReader();
      let status: number | undefined;
      let statusMessage = '';
      const readStatus = (h: Record<string, string | string[] | undefined>) => {
        if (h['grpc-status'] === undefined) return;
        status = Number(h['grpc-status']);
        statusMessage = percentDecoded(String(h['grpc-message'] ?? ''));
      };
      const timer = setTimeout(() => {
        stream.close(constants.NGHTTP2_CANCEL);
        finish(new GrpcCallError(GRPC_DEADLINE_EXCEEDED, `${path} to ${this.endpoint}: deadline of ${timeoutMs} ms exceeded`));
      }, timeoutMs + 1000);
      let done = false;
      const finish = (error?: Error) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (error) reject(error);
        else if (status === 0) resolve(frames.messages);
        else reject(new GrpcCallError(status ?? GRPC_INTERNAL, `${path} to ${this.endpoint}: grpc-status ${status ?? 'missing'} ${statusMessage}`.trim()));
      };
      stream.on('response', (h) => {
        const httpStatus = h[constants.HTTP2_HEADER_STATUS];
        if (Number(httpStatus) !== 200) finish(new GrpcCallError(GRPC_UNAVAILABLE, `${path} to ${this.endpoint}: HTTP status ${httpStatus}`));
        readStatus(h); // trailers-only answer
      });
      stream.on('trailers', readStatus);
      stream.on('data', (chunk: Buffer) => {
        try {
          frames.push(chunk);
        } catch (error) {
          stream.close(constants.NGHTTP2_CANCEL);
          finish(error as Error);
        }
      });
      stream.on('end', () => finish());
      stream.on('close', () => finish(status === undefined ? new GrpcCallError(GRPC_UNAVAILABLE, `${path} to ${this.endpoint}: stream closed (code ${stream.rstCode})`) : undefined));
      stream.on('error', (error) => finish(new GrpcCallError(GRPC_UNAVAILABLE, `${path} to ${this.endpoint}: ${error.message}`)));
      const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
      header.writeUInt8(0, 0);
      header.writeUInt32BE(request.length, 1);
      stream.write(header);
      stream.end(request);
    });
  }

  close(): void {
    this.closed = true;
    this.session?.close();
    this.session = undefined;
  }

  private open(): ClientHttp2Session {
    if (this.closed) throw new Error('channel closed');
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(`${this.tls ? 'https' : 'http'}://${this.endpoint}`, { settings: { initialWindowSize: WINDOW_BYTES } });
    session.on('connect', () => session.setLocalWindowSize(WINDOW_BYTES));
    // Errors reach the calls through their streams; the next call opens a new session.
    session.on('error', () => undefined);
    const forget = () => {
      if (this.session === session) this.session = undefined;
    };
    session.on('close', forget);
    session.on('goaway', forget);
    session.unref();
    this.session = session;
    return session;
  }
}

/** Splits a response body into gRPC messages (1 byte compressed flag, 4 bytes length, message). */
class FrameReader {
  readonly messages: Buffer[] = [];
  private pending: Buffer | undefined;

  push(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    while (data.length >= FRAME_HEADER_BYTES) {
      const length = data.readUInt32BE(1);
      if (data.length < FRAME_HEADER_BYTES + length) break;
      if (data[0] !== 0) throw new GrpcCallError(GRPC_INTERNAL, 'compressed gRPC messages are not supported');
      this.messages.push(data.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + length));
      data = data.subarray(FRAME_HEADER_BYTES + length);
    }
    this.pending = data.length > 0 ? data : undefined;
  }
}

/** grpc-message is percent-encoded; a malformed one is shown as it came. */
function percentDecoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
