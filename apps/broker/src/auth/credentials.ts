import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '../protocol/grpc/server-call';
import { BrokerError, Code } from '../errors';

/**
 * RocketMQ 5's AK/SK scheme, as ApsaraMQ and the Apache proxy check it:
 * `authorization: MQv2-HMAC-SHA1 Credential=<ak>, SignedHeaders=x-mq-date-time, Signature=<hex>`
 * where the signature is HMAC-SHA1(secretKey, x-mq-date-time) in upper-case hex.
 */
export class Authenticator {
  private readonly secrets: Map<string, string>;

  constructor(credentials: { accessKey: string; secretKey: string }[]) {
    this.secrets = new Map(credentials.map((c) => [c.accessKey, c.secretKey]));
  }

  get enabled(): boolean {
    return this.secrets.size > 0;
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
  }
}
