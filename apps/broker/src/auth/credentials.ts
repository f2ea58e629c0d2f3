import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '../protocol/grpc/server-call';
import { BrokerError, Code } from '../errors';
import { Permissions, type UserRights } from './permissions';

/** `auth.credentials` users have every right; `auth.users` only those they list. */
export interface AuthConfig {
  credentials: { accessKey: string; secretKey: string }[];
  users?: ({ accessKey: string; secretKey: string } & UserRights)[];
  /** How far a request's signed x-mq-date-time may be from the broker's clock. */
  maxClockSkewMs: number;
}

interface User {
  secret: string;
  permissions: Permissions;
}

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
  private readonly users = new Map<string, User>();
  private readonly maxClockSkewMs: number;

  constructor(
    config: Pick<AuthConfig, 'credentials' | 'users'> & { maxClockSkewMs?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.maxClockSkewMs = config.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    for (const { accessKey, secretKey } of config.credentials) this.users.set(accessKey, { secret: secretKey, permissions: Permissions.ALL });
    for (const { accessKey, secretKey, ...rights } of config.users ?? []) {
      this.users.set(accessKey, { secret: secretKey, permissions: new Permissions(rights, accessKey) });
    }
  }

  get enabled(): boolean {
    return this.users.size > 0;
  }

  /** The rights of `accessKey` if `secretKey` is its secret (the admin API's HTTP Basic credentials). */
  permissionsFor(accessKey: string, secretKey: string): Permissions | undefined {
    const user = this.users.get(accessKey);
    if (user === undefined) return undefined;
    const [expected, given] = [Buffer.from(user.secret), Buffer.from(secretKey)];
    return expected.length === given.length && timingSafeEqual(expected, given) ? user.permissions : undefined;
  }

  /** The caller's rights; throws UNAUTHORIZED unless the call is signed by a known access key. */
  verify(metadata: Metadata): Permissions {
    if (!this.enabled) return Permissions.ALL;
    const authorization = metadata.get('authorization') ?? '';
    const dateTime = metadata.get('x-mq-date-time') ?? '';
    const match = /^MQv2-HMAC-SHA1\s+Credential=([^,\s]+),\s*SignedHeaders=x-mq-date-time,\s*Signature=([0-9A-Fa-f]+)$/.exec(authorization);
    if (!match || !dateTime) throw new BrokerError(Code.UNAUTHORIZED, 'authentication required: sign requests with an access key and secret key');
    const [, accessKey, signature] = match;
    const user = this.users.get(accessKey);
    if (user === undefined) throw new BrokerError(Code.UNAUTHORIZED, `access key ${accessKey} is unknown`);
    const expected = Buffer.from(createHmac('sha1', user.secret).update(dateTime).digest('hex').toUpperCase());
    const given = Buffer.from(signature.toUpperCase());
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new BrokerError(Code.UNAUTHORIZED, `signature of access key ${accessKey} does not match`);
    }
    const signedAt = parseDateTime(dateTime);
    if (signedAt === undefined || Math.abs(this.now() - signedAt) > this.maxClockSkewMs) {
      throw new BrokerError(Code.UNAUTHORIZED, `x-mq-date-time ${dateTime.slice(0, 32)} is not within ${this.maxClockSkewMs / 60_000} min of the broker's clock`);
    }
    return user.permissions;
  }
}
