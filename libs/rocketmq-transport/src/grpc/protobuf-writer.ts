const VARINT = 0;
const LENGTH_DELIMITED = 2;

/**
 * Protocol buffers wire format, written by hand for the few messages on the hot path: one growing
 * buffer, no message objects. A nested message reserves one length byte and moves its content only
 * when the length needs more (bodies above 127 bytes: one memmove per nesting level).
 */
export class ProtobufWriter {
  private buffer: Buffer;
  private position = 0;

  constructor(initialBytes = 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** The bytes written so far (a view, valid until the next write). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  uint32(field: number, value: number): this {
    if (value === 0) return this;
    this.tag(field, VARINT);
    this.varint(value);
    return this;
  }

  /** Non-negative integers up to 2^53 (proto int64 fields such as timestamps' seconds). */
  uint64(field: number, value: number): this {
    return this.uint32(field, value);
  }

  bool(field: number, value: boolean): this {
    return this.uint32(field, value ? 1 : 0);
  }

  string(field: number, value: string | undefined): this {
    if (!value) return this;
    const length = Buffer.byteLength(value);
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.reserve(length);
    this.position += this.buffer.write(value, this.position, 'utf8');
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
    return this;
  }

  /** A nested message, written by `write`; also written when empty (proto3 presence of message fields). */
  message(field: number, write: (writer: this) => void): this {
    this.tag(field, LENGTH_DELIMITED);
    this.reserve(1);
    const lengthAt = this.position++;
    write(this);
    const length = this.position - lengthAt - 1;
    const lengthBytes = varintSize(length);
    if (lengthBytes > 1) {
      this.reserve(lengthBytes - 1);
      this.buffer.copyWithin(lengthAt + lengthBytes, lengthAt + 1, this.position);
      this.position += lengthBytes - 1;
    }
    writeVarintAt(this.buffer, lengthAt, length);
    return this;
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  private varint(value: number): void {
    this.reserve(10);
    this.position = writeVarintAt(this.buffer, this.position, value);
  }

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}

/** Writes `value` (0 ≤ value < 2^53) as a varint at `at`; returns the position after it. */
function writeVarintAt(buffer: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    buffer[at++] = (value & 0x7f) | 0x80;
    value = Math.floor(value / 128);
  }
  buffer[at++] = value;
  return at;
}
