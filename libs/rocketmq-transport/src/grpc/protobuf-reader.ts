/** Protocol buffers wire format, read field by field; unknown fields are skipped. */
export class ProtobufReader {
  private position: number;
  private readonly end: number;
  private wireType = 0;

  constructor(
    private readonly buffer: Buffer,
    start = 0,
    end = buffer.length,
  ) {
    this.position = start;
    this.end = end;
  }

  /** The next field's number, or 0 at the end. */
  next(): number {
    if (this.position >= this.end) return 0;
    const tag = this.varint();
    this.wireType = tag & 7;
    return tag >>> 3;
  }

  /** Varints up to 2^53 (larger int64 values lose precision, which no field read here can reach). */
  varint(): number {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      if (this.position >= this.end) throw new RangeError('truncated varint');
      const byte = this.buffer[this.position++];
      result += (byte & 0x7f) * multiplier;
      if (byte < 0x80) return result;
      multiplier *= 128;
    }
  }

  bool(): boolean {
    return this.varint() !== 0;
  }

  /** A length-delimited field as a view into the buffer. */
  bytes(): Buffer {
    const length = this.varint();
    const start = this.position;
    this.position += length;
    if (this.position > this.end) throw new RangeError('truncated length-delimited field');
    return this.buffer.subarray(start, this.position);
  }

  string(): string {
    const length = this.varint();
    const start = this.position;
    this.position += length;
    if (this.position > this.end) throw new RangeError('truncated string');
    return this.buffer.toString('utf8', start, this.position);
  }

  /** A reader over the nested message of the current field. */
  message(): ProtobufReader {
    const length = this.varint();
    const start = this.position;
    this.position += length;
    if (this.position > this.end) throw new RangeError('truncated nested message');
    return new ProtobufReader(this.buffer, start, this.position);
  }

  skip(): void {
    switch (this.wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.position += 8;
        return;
      case 2: {
        const length = this.varint(); // read before adding: `position += varint()` would add to the old position
        this.position += length;
        return;
      }
      case 5:
        this.position += 4;
        return;
      default:
        throw new RangeError(`unsupported wire type ${this.wireType}`);
    }
  }
}
