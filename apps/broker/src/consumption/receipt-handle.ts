import { createHmac, timingSafeEqual } from 'node:crypto';
import { BrokerError, Code } from '../errors';
import { ByteBoundedCache } from '../util/byte-bounded-cache';

/** What a receipt handle names: one delivery of one queue's message. */
export interface ReceiptHandle {
  queueId: number;
  offset: number;
  version: number;
}

/** 128 bits of HMAC-SHA256: forging one is out of reach, and the handle stays short. */
const MAC_BYTES = 16;
/**
 * Handles issued lately, remembered with their group and topic: most are settled within their
 * invisible time, by the same broker process, and need no second MAC to be recognised.
 */
const RECENT_HANDLES = 32_768;
/** Decimal fields of at most 15 digits (safe integers), then the MAC in base64url. */
const HANDLE = /^((\d{1,15})\.(\d{1,15})\.(\d{1,15}))\.([A-Za-z0-9_-]{22})$/;

/**
 * Receipt handles `<queue>.<offset>.<version>.<mac>`, where the MAC (HMAC-SHA256 with the broker's
 * secret) covers those fields, the consumer group and the topic. A client can only settle what this
 * broker delivered to its group: a guessed, garbled or other group's handle is INVALID_RECEIPT_HANDLE.
 */
export class ReceiptHandles {
  /** Handle text -> the `<group>\n<topic>` it was issued for. */
  private readonly recent = new ByteBoundedCache<string, string>(RECENT_HANDLES, () => 1);

  constructor(private readonly secret: Buffer) {}

  encode(group: string, topic: string, handle: ReceiptHandle): string {
    const fields = `${handle.queueId}.${handle.offset}.${handle.version}`;
    const text = `${fields}.${this.mac(group, topic, fields)}`;
    this.recent.put(text, `${group}\n${topic}`);
    return text;
  }

  decode(group: string, topic: string, text: string): ReceiptHandle {
    const match = typeof text === 'string' ? HANDLE.exec(text) : null;
    if (!match) throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, `receipt handle is malformed: ${String(text).slice(0, 80)}`);
    const [, fields, queueId, offset, version, mac] = match;
    // A text this broker issued for this group and topic is genuine: the MAC it carries is the one computed then.
    if (this.recent.get(text) !== `${group}\n${topic}` && !timingSafeEqual(Buffer.from(mac), Buffer.from(this.mac(group, topic, fields)))) {
      throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, `receipt handle was not issued by this broker to group ${group} for topic ${topic}`);
    }
    return { queueId: Number(queueId), offset: Number(offset), version: Number(version) };
  }

  /** Compared as text: base64url has several spellings of the last 4 bits, only the one issued is accepted. */
  private mac(group: string, topic: string, fields: string): string {
    // Names never contain a newline (checkGroupName, checkTopicName), so the input is unambiguous.
    return createHmac('sha256', this.secret).update(`${group}\n${topic}\n${fields}`).digest().subarray(0, MAC_BYTES).toString('base64url');
  }
}
