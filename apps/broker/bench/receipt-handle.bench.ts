/**
 * `node apps/broker/dist/bench/receipt-handle.bench.js` (after `nx run broker:build`): CPU per receipt
 * handle encoded (every delivery) and decoded (every ack and invisible-time change), next to building
 * the same handle without its MAC, in one run. Decoding is measured twice: by the process that issued
 * the handles (its group's key derived) and after a restart (the key derived on first use, not kept).
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { ReceiptHandles } from '../src/consumption/receipt-handle';

const ROUNDS = 5;
const PER_ROUND = 200_000;
const secret = randomBytes(32);
const handles = new ReceiptHandles(secret);
/** The same secret, nothing issued: a handle from before a restart. */
const restarted = new ReceiptHandles(secret);
const group = 'order-events-inventory';
const topic = 'order-events';

function microsPerOp(operation: (i: number) => unknown): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) operation(i);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / PER_ROUND);
  }
  return best;
}

const unsigned = microsPerOp((i) => `${i % 8}.${1_000_000 + i}.3.${Buffer.from(topic).toString('base64url')}`);
const encode = microsPerOp((i) => handles.encode(group, topic, { queueId: i % 8, offset: 1_000_000 + i, version: 3 }));
const issued = Array.from({ length: 1024 }, (_, i) => handles.encode(group, topic, { queueId: i % 8, offset: 1_000_000 + i, version: 3 }));
const decode = microsPerOp((i) => handles.decode(group, topic, issued[i % issued.length]));
const decodeAfterRestart = microsPerOp((i) => restarted.decode(group, topic, issued[i % issued.length]));
console.log(
  JSON.stringify({ unsignedMicros: +unsigned.toFixed(3), encodeMicros: +encode.toFixed(3), decodeMicros: +decode.toFixed(3), decodeAfterRestartMicros: +decodeAfterRestart.toFixed(3), load: loadavg()[0] }),
);
