import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { type AckResponse, type ReceiveStatusResponse, encodeAckMessageResponse, encodeReceiveStatusResponse } from './consumer-response-encoder';
import { loadGenericService } from './proto';

const generic = loadGenericService();

describe('encodeAckMessageResponse', () => {
  const decode = (bytes: Buffer) => generic.AckMessage.responseDeserialize(bytes) as Record<string, unknown>;

  it('decodes with the .proto files to what the generic encoder writes', () => {
    const responses: AckResponse[] = [
      {
        status: { code: Code.MULTIPLE_RESULTS, message: 'entries have different results' },
        entries: [
          { messageId: '0102FC0000000110840B1F06FE00000CFE', receiptHandle: '3.12345.1764000000000.AAAAAAAAAAAAAAAAAAAAAA', status: { code: Code.OK, message: 'OK' } },
          { messageId: 'ID-2', receiptHandle: 'garbage ü', status: { code: Code.INVALID_RECEIPT_HANDLE, message: 'receipt handle is malformed: garbage ü' } },
          { status: { code: Code.OK, message: '' } },
        ],
      },
      { status: { code: Code.BAD_REQUEST, message: 'no entry to acknowledge' } },
    ];
    for (const response of responses) {
      expect(decode(encodeAckMessageResponse(response))).toEqual(decode(generic.AckMessage.responseSerialize(response)));
    }
  });
});

describe('encodeReceiveStatusResponse', () => {
  const decode = (bytes: Buffer) => generic.ReceiveMessage.responseDeserialize(bytes) as Record<string, unknown>;

  it('decodes with the .proto files to what the generic encoder writes', () => {
    const responses: ReceiveStatusResponse[] = [
      { status: { code: Code.OK, message: 'OK' } },
      { status: { code: Code.MESSAGE_NOT_FOUND, message: 'no new message' } },
      { deliveryTimestamp: { seconds: 1_764_000_000, nanos: 123_000_000 } },
    ];
    for (const response of responses) {
      expect(decode(encodeReceiveStatusResponse(response))).toEqual(decode(generic.ReceiveMessage.responseSerialize(response)));
    }
  });

  it('leaves out nanos of 0, which a proto3 reader takes as 0', () => {
    const decoded = decode(encodeReceiveStatusResponse({ deliveryTimestamp: { seconds: 1_764_000_001, nanos: 0 } })) as { deliveryTimestamp: { seconds: number; nanos?: number } };
    expect(decoded.deliveryTimestamp.seconds).toBe(1_764_000_001);
    expect(decoded.deliveryTimestamp.nanos ?? 0).toBe(0);
  });
});
