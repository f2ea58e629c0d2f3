import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_REASON_HEADER, MAX_DEAD_LETTER_REASON_LENGTH, forwardedReason } from './dead-letter-reason';
import { Metadata } from './grpc/server-call';

const withReason = (value?: string) => new Metadata(value === undefined ? {} : { [DEAD_LETTER_REASON_HEADER]: value });

describe('the reason a client gives for dead-lettering', () => {
  it('is the header, percent-decoded', () => {
    expect(forwardedReason(withReason(encodeURIComponent('not retriable: BadRequestException: bad sku — “x”')))).toBe('not retriable: BadRequestException: bad sku — “x”');
  });

  it('says the client forwarded it when there is no header (an Apache-style client)', () => {
    expect(forwardedReason(withReason())).toBe('forwarded by the client');
    expect(forwardedReason(withReason(''))).toBe('forwarded by the client');
  });

  it('keeps a value that is not percent-encoded as it was sent, and cuts any reason to the limit', () => {
    expect(forwardedReason(withReason('100% broken'))).toBe('100% broken');
    expect(forwardedReason(withReason('x'.repeat(5000)))).toHaveLength(MAX_DEAD_LETTER_REASON_LENGTH);
  });
});
