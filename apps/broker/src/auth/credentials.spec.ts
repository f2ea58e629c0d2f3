import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { BrokerError } from '../errors';
import { Code } from '../errors';
import { Metadata } from '../protocol/grpc/server-call';
import { Authenticator } from './credentials';

const NOW = Date.UTC(2026, 10, 30, 18, 45, 0);
const authenticator = new Authenticator({ credentials: [{ accessKey: 'ak', secretKey: 'sk' }], maxClockSkewMs: 15 * 60_000 }, () => NOW);

function signed(dateTime: string, secret = 'sk'): Metadata {
  const signature = createHmac('sha1', secret).update(dateTime).digest('hex').toUpperCase();
  return new Metadata({
    authorization: `MQv2-HMAC-SHA1 Credential=ak, SignedHeaders=x-mq-date-time, Signature=${signature}`,
    'x-mq-date-time': dateTime,
  });
}

function outcome(metadata: Metadata): Code | 'accepted' {
  try {
    authenticator.verify(metadata);
    return 'accepted';
  } catch (error) {
    return (error as BrokerError).code;
  }
}

describe('Authenticator', () => {
  it.each([
    ['now', '20261130T184500Z', 'accepted'],
    ['14 min ahead', '20261130T185900Z', 'accepted'],
    ['14 min behind', '20261130T183100Z', 'accepted'],
    ['16 min behind', '20261130T182900Z', Code.UNAUTHORIZED],
    ['16 min ahead', '20261130T190100Z', Code.UNAUTHORIZED],
    ['in the year 2000', '20000101T000000Z', Code.UNAUTHORIZED],
    ['not a time', 'x', Code.UNAUTHORIZED],
    ['a day that does not exist', '20261131T184500Z', Code.UNAUTHORIZED],
    ['hour 24', '20261130T244500Z', Code.UNAUTHORIZED],
    ['without the Z', '20261130T184500', Code.UNAUTHORIZED],
  ])('a correct signature over a date-time %s: %s', (_, dateTime, expected) => {
    expect(outcome(signed(dateTime))).toBe(expected);
  });

  it('a signature by another secret is refused even within the window', () => {
    expect(outcome(signed('20261130T184500Z', 'other'))).toBe(Code.UNAUTHORIZED);
  });
});
