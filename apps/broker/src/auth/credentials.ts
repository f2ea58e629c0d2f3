import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '../protocol/grpc/server-call';
import { BrokerError, Code } from '../errors';

const DEFAULT_MAX_CLOCK_SKEW_MS = 15 * 60_000;

/** `20261130T184500Z` → epoch ms; undefined unless it is exactly that shape and a real time. */
function parseDateTime(text: string): number | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text)?.slice(1).map(Number);
  if (!parts) return undefined;
  const [year, month, day, hour, minute, second] = parts;
  const time = Date.UTC(year, month - 1, day, hour, minute, second);
  return new Date(time).getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? time : undefined;
}

/**
 * RocketMQ 5's AK/SK scheme, as ApsaraMQ and the Apache proxy check it:
 * `authorization: MQv2-HMAC-SHA1 Credential=<ak>, SignedHeaders=x-mq-date-time, Signature=<hex>`
 * where the signature is HMAC-SHA1(secretKey, x-mq-date-time) in upper-case hex. The signed time
 * (`yyyyMMddTHHmmssZ`, UTC) must lie within `maxClockSkewMs` of ours, as ApsaraMQ requires, so a
 * captured header stops working within minutes.
 */
export class Authenticator {
  private readonly secrets: Map<string, string>;

  constructor(
    credentials: { accessKey: string; secretKey: string }[],
    private readonly maxClockSkewMs = DEFAULT_MAX_CLOCK_SKEW_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.secrets = new Map(credentials.map((c) => [c.accessKey, c.secretKey]));
  }

  get enabled(): boolean {
    return this.secrets.size > 0;
  }

  /** Whether `secretKey` is the secret of `accessKey` (the admin API's HTTP Basic credentials). */
  holdsSecret(accessKey: string, secretKey: string): boolean {
    const secret = this.secrets.get(accessKey);
    if (secret === undefined) return false;
    const [expected, given] = [Buffer.from(secret), Buffer.from(secretKey)];
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Throws UNAUTHORIZED unless the call is signed by a known access key. */
  verify(metadata: Metadata): void {
    if (!this.enabled) return;
    const authorization = metadata.get('authorization') ?? '';
    const dateTime = metadata.get('x-mq-date-time') ?? '';
    const match = /^MQv2-HMAC-SHA1\s+Credential=([^,\s]+),\s*SignedHeaders=x-mq-date-time,\s*Signature=([0-9A-Fa-f]+)$/.exec(authorization);
    if (!match || !dateTime) throw new BrokerError(Code.UNAUTHORIZED, 'authentication required: sign requests with an access key and secret key');
    const [, accessKey, signature] = match;
    const secret = this.secrets.get(accessKey);
    if (secret === undefined) throw new BrokerError(Code.UNAUTHORIZED, `access key ${accessKey} is unknown`);
    const expected = Buffer.from(createHmac('sha1', secret).update(dateTime).digest('hex').toUpperCase());
    const given = Buffer.from(signature.toUpperCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new BrokerError(Code.UNAUTHORIZED, `signature of access key ${accessKey} does not match`);
    }
    const signedAt = parseDateTime(dateTime);
    if (signedAt === undefined || Math.abs(this.now() - signedAt) > this.maxClockSkewMs) {
      throw new BrokerError(Code.UNAUTHORIZED, `x-mq-date-time ${dateTime.slice(0, 32)} is not within ${this.maxClockSkewMs / 60_000} min of the broker's clock`);
    }
  }
}
