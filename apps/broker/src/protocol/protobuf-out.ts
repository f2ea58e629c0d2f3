import { FRAME_HEADER_BYTES } from './grpc/framing';

/* Protobuf encoding by hand into a buffer of the exact size: the sizes first, then one pass of writes. */

export const varintSize = (value: number) => (value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : Math.ceil(Math.log2(value + 1) / 7));
export const keySize = (key: number) => varintSize(key);
/** A length-delimited field holding `length` bytes. */
export const fieldSize = (key: number, length: number) => keySize(key) + varintSize(length) + length;

/** Writes into a buffer sized beforehand; every method advances the cursor. */
export class Out {
  at = 0;

  constructor(readonly buffer: Buffer) {}

  /** A whole gRPC frame holding a message of `size` bytes: the frame header is written, the message follows. */
  static frame(size: number): Out {
    const out = new Out(Buffer.allocUnsafe(FRAME_HEADER_BYTES + size));
    out.buffer[0] = 0; // not compressed
    out.buffer.writeUInt32BE(size, 1);
    out.at = FRAME_HEADER_BYTES;
    return out;
  }

  varint(value: number): this {
    while (value >= 0x80) {
      this.buffer[this.at++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.at++] = value;
    return this;
  }

  /** A length-delimited field of `length` bytes that the caller writes next. */
  open(key: number, length: number): this {
    return this.varint(key).varint(length);
  }

  string(key: number, value: string, length: number): this {
    this.open(key, length);
    this.at += this.buffer.write(value, this.at);
    return this;
  }

  bytes(key: number, value: Buffer): this {
    this.open(key, value.length);
    this.at += value.copy(this.buffer, this.at);
    return this;
  }
}

const SECONDS = (1 << 3) | 0;
const NANOS = (2 << 3) | 0;

/** google.protobuf.Timestamp and Duration share one layout: seconds (1), nanos (2, left out when 0). */
export const secondsNanosSize = (seconds: number, nanos: number) => keySize(SECONDS) + varintSize(seconds) + (nanos ? keySize(NANOS) + varintSize(nanos) : 0);

/** A Timestamp or Duration as field `key`. */
export function writeSecondsNanos(out: Out, key: number, seconds: number, nanos: number): void {
  out.open(key, secondsNanosSize(seconds, nanos)).varint(SECONDS).varint(seconds);
  if (nanos) out.varint(NANOS).varint(nanos);
}
