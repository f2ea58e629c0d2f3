/**
 * `node apps/broker/dist/bench/send-response.bench.js` (after `nx run broker:build`): CPU per
 * SendMessageResponse entry, written by hand (send-response-encoder.ts) and by the generic
 * proto-loader serializer the broker used before, for a request of 64 messages, in one run.
 */
import { loadavg } from 'node:os';
import { Code } from '../src/errors';
import { loadGenericService } from '../src/protocol/proto';
import { type SendResponse, encodeSendMessageResponse } from '../src/protocol/send-response-encoder';

const ROUNDS = 5;
const PER_ROUND = 5_000;
const ENTRIES = 64;
const generic = loadGenericService().SendMessage;
const OK = { code: Code.OK, message: 'OK' };
const response: SendResponse = {
  status: OK,
  entries: Array.from({ length: ENTRIES }, (_, i) => {
    const messageId = `0102FC0000000110840B1F06FE${String(i).padStart(8, '0')}`;
    return { status: OK, messageId, transactionId: messageId, queueId: i % 8, offset: 1_000_000 + i };
  }),
};

function microsPerEntry(encode: () => Buffer): number {
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < PER_ROUND; i++) encode();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1000 / PER_ROUND / ENTRIES);
  }
  return best;
}

const genericMicros = microsPerEntry(() => generic.responseSerialize(response));
const byHandMicros = microsPerEntry(() => encodeSendMessageResponse(response));
console.log(JSON.stringify({ entries: ENTRIES, genericMicrosPerEntry: +genericMicros.toFixed(3), byHandMicrosPerEntry: +byHandMicros.toFixed(3), load: loadavg()[0] }));
