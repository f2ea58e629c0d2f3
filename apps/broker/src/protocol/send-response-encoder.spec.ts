import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { loadGenericService } from './proto';
import { type SendResponse, encodeSendMessageResponse } from './send-response-encoder';

const generic = loadGenericService().SendMessage;
const decode = (bytes: Buffer) => generic.responseDeserialize(bytes) as Record<string, unknown>;

describe('encodeSendMessageResponse', () => {
  it('decodes with the .proto files to what the generic encoder writes', () => {
    const responses: SendResponse[] = [
      {
        status: { code: Code.MULTIPLE_RESULTS, message: 'entries have different results' },
        entries: [
          { status: { code: Code.OK, message: 'OK' }, messageId: '0102FC0000000110840B1F06FE00000CFE', transactionId: '0102FC0000000110840B1F06FE00000CFE', offset: 12_345_678_901, recallHandle: 'cmVjYWxs' },
          { status: { code: Code.OK, message: 'OK' }, messageId: 'ID-2', transactionId: 'ID-2', offset: 0 },
          { status: { code: Code.ILLEGAL_TOPIC, message: 'topic "ü" is not valid' }, messageId: 'ID-3' },
        ],
      },
      // The error answer: one entry carrying the status only.
      { status: { code: Code.TOO_MANY_REQUESTS, message: 'slow down' }, entries: [{ status: { code: Code.TOO_MANY_REQUESTS, message: 'slow down' } }] },
      { status: { code: Code.OK, message: '' } },
    ];
    for (const response of responses) {
      expect(decode(encodeSendMessageResponse(response))).toEqual(decode(generic.responseSerialize(response)));
    }
  });
});
