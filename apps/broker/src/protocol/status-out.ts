import { Out, fieldSize, keySize, varintSize } from './protobuf-out';
import type { Status } from './status';

/* apache.rocketmq.v2.Status { code = 1; message = 2 } for the hand-written response encoders. */

const CODE = (1 << 3) | 0;
const MESSAGE = (2 << 3) | 2;

/** A string field written whenever present, empty or not, as the generic encoder does. */
export const textSize = (key: number, text: string | undefined) => (text === undefined ? 0 : fieldSize(key, Buffer.byteLength(text)));

export function writeText(out: Out, key: number, text: string | undefined): void {
  if (text !== undefined) out.string(key, text, Buffer.byteLength(text));
}

/** The bytes of a Status's fields (without its own key and length). */
export const statusSize = (status: Status) => keySize(CODE) + varintSize(status.code) + textSize(MESSAGE, status.message);

/** A Status as field `key`; `size` is its statusSize. */
export function writeStatus(out: Out, key: number, status: Status, size: number): void {
  out.open(key, size).varint(CODE).varint(status.code);
  writeText(out, MESSAGE, status.message);
}
