import { gunzipSync, inflateSync } from 'node:zlib';
import { GrpcError, GrpcStatus } from './grpc-status';

/** Every gRPC message on the wire: 1 byte "compressed" flag, 4 bytes big-endian length, the bytes. */
export const FRAME_HEADER_BYTES = 5;

export function frameHeader(length: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header[0] = 0;
  header.writeUInt32BE(length, 1);
  return header;
}

/** What a request's `grpc-encoding` allows: compressed messages are inflated, never sent. */
export type MessageEncoding = 'identity' | 'gzip' | 'deflate';

export function messageEncoding(header: string | undefined): MessageEncoding {
  if (header === undefined || header === 'identity' || header === 'gzip' || header === 'deflate') return header ?? 'identity';
  throw new GrpcError(GrpcStatus.UNIMPLEMENTED, `grpc-encoding ${header} is not supported (identity, gzip, deflate are)`);
}

/**
 * Cuts a request body into messages as HTTP/2 DATA chunks arrive, however the chunks split them.
 * A message whose length is over `maxBytes` is refused before it is buffered.
 */
export class MessageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(
    private readonly encoding: MessageEncoding,
    private readonly maxBytes: number,
  ) {}

  /** The messages completed by `chunk`, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    const messages: Buffer[] = [];
    while (this.pendingBytes >= FRAME_HEADER_BYTES) {
      if (this.pending[0].length < FRAME_HEADER_BYTES) this.collapse();
      const length = this.pending[0].readUInt32BE(1);
      if (length > this.maxBytes) {
        throw new GrpcError(GrpcStatus.RESOURCE_EXHAUSTED, `received message larger than max (${length} vs. ${this.maxBytes})`);
      }
      const end = FRAME_HEADER_BYTES + length;
      // A large message arrives in many chunks: they are joined once, when the last one is in.
      if (this.pendingBytes < end) break;
      if (this.pending[0].length < end) this.collapse();
      const head = this.pending[0];
      messages.push(this.unpack(head[0], head.subarray(FRAME_HEADER_BYTES, end)));
      const rest = head.subarray(end);
      this.pending.shift();
      if (rest.length > 0) this.pending.unshift(rest);
      this.pendingBytes -= end;
    }
    return messages;
  }

  /** True when the stream ended in the middle of a message. */
  get incomplete(): boolean {
    return this.pendingBytes > 0;
  }

  private collapse(): void {
    this.pending = [Buffer.concat(this.pending, this.pendingBytes)];
  }

  private unpack(flag: number, bytes: Buffer): Buffer {
    if (flag === 0) return bytes;
    if (flag !== 1 || this.encoding === 'identity') {
      throw new GrpcError(GrpcStatus.INTERNAL, `message flagged as compressed (${flag}) without a grpc-encoding to decompress it`);
    }
    try {
      const options = { maxOutputLength: this.maxBytes };
      return this.encoding === 'gzip' ? gunzipSync(bytes, options) : inflateSync(bytes, options);
    } catch (error) {
      throw new GrpcError(GrpcStatus.INTERNAL, `compressed message could not be decompressed: ${(error as Error).message}`);
    }
  }
}
