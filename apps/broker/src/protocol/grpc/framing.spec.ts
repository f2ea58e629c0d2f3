import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MessageReader, frameHeader, messageEncoding } from './framing';
import { GrpcError, GrpcStatus } from './grpc-status';

const framed = (bytes: Buffer, compressed = false) => {
  const header = frameHeader(bytes.length);
  header[0] = compressed ? 1 : 0;
  return Buffer.concat([header, bytes]);
};

function codeOf(run: () => unknown): GrpcStatus | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof GrpcError) return error.code;
    throw error;
  }
  return undefined;
}

describe('MessageReader', () => {
  it('finds every message however the chunks cut them', () => {
    const messages = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(40_000, 7), Buffer.from('last')];
    const wire = Buffer.concat(messages.map((m) => framed(m)));
    for (const chunkSize of [1, 3, 5, 16_384, wire.length]) {
      const reader = new MessageReader('identity', 1 << 20);
      const found: Buffer[] = [];
      for (let at = 0; at < wire.length; at += chunkSize) found.push(...reader.push(wire.subarray(at, at + chunkSize)));
      expect(found.map((m) => m.toString('base64'))).toEqual(messages.map((m) => m.toString('base64')));
      expect(reader.incomplete).toBe(false);
    }
  });

  it('knows when the stream ended inside a message', () => {
    const reader = new MessageReader('identity', 1 << 20);
    expect(reader.push(framed(Buffer.from('cut short')).subarray(0, 8))).toEqual([]);
    expect(reader.incomplete).toBe(true);
  });

  it('refuses a message over the limit from its header alone', () => {
    const reader = new MessageReader('identity', 100);
    expect(codeOf(() => reader.push(frameHeader(101)))).toBe(GrpcStatus.RESOURCE_EXHAUSTED);
  });

  it('inflates compressed messages only under a grpc-encoding', () => {
    const body = Buffer.from('compressed body');
    expect(new MessageReader('gzip', 1000).push(framed(gzipSync(body), true))).toEqual([body]);
    expect(codeOf(() => new MessageReader('identity', 1000).push(framed(gzipSync(body), true)))).toBe(GrpcStatus.INTERNAL);
    expect(codeOf(() => new MessageReader('deflate', 1000).push(framed(Buffer.from('not deflate'), true)))).toBe(GrpcStatus.INTERNAL);
  });

  it('accepts the encodings it can inflate', () => {
    expect(messageEncoding(undefined)).toBe('identity');
    expect(messageEncoding('gzip')).toBe('gzip');
    expect(codeOf(() => messageEncoding('snappy'))).toBe(GrpcStatus.UNIMPLEMENTED);
  });
});
