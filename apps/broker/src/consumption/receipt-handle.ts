import { createHmac, hash } from 'node:crypto';
import { BrokerError, Code } from '../errors';

/** What a receipt handle names: one delivery of one queue's message. */
export interface ReceiptHandle {
  queueId: number;
  offset: number;
  version: number;
}

/** 22 base64url characters: 132 of SHA-256's 256 bits. Forging one is out of reach, the handle stays short. */
const MAC_CHARS = 22;
/** Decimal fields of at most 15 digits (safe integers), then the MAC in base64url. */
const HANDLE = /^((\d{1,15})\.(\d{1,15})\.(\d{1,15}))\.([A-Za-z0-9_-]{22})$/;

/**
 * Receipt handles `<queue>.<offset>.<version>.<mac>`. Each (group, topic) gets its own key, an
 * HMAC-SHA256 of its names with the broker's secret, derived once; a handle's MAC is SHA-256 over that
 * key and the fields, truncated (ADR 0028: a keyed hash whose output hides half of the hash state, so
 * it cannot be length-extended). A client can only settle what this broker delivered to its group: a
 * guessed, garbled or other group's handle is INVALID_RECEIPT_HANDLE.
 */
export class ReceiptHandles {
  /** group -> topic -> its key, base64url; only pairs this broker delivered to, so names from requests cannot grow it. */
  private readonly keys = new Map<string, Map<string, string>>();

  constructor(private readonly secret: Buffer) {}

  encode(group: string, topic: string, handle: ReceiptHandle): string {
    const fields = `${handle.queueId}.${handle.offset}.${handle.version}`;
    return `${fields}.${this.mac(this.keyOf(group, topic, true), fields)}`;
  }

  decode(group: string, topic: string, text: string): ReceiptHandle {
    const match = typeof text === 'string' ? HANDLE.exec(text) : null;
    if (!match) throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, `receipt handle is malformed: ${String(text).slice(0, 80)}`);
    const [, fields, queueId, offset, version, mac] = match;
    if (!equalInConstantTime(mac, this.mac(this.keyOf(group, topic, false), fields))) {
      throw new BrokerError(Code.INVALID_RECEIPT_HANDLE, `receipt handle was not issued by this broker to group ${group} for topic ${topic}`);
    }
    return { queueId: Number(queueId), offset: Number(offset), version: Number(version) };
  }

  /** Whole base64url characters of the hash: one spelling per MAC, so texts compare as MACs do. */
  private mac(key: string, fields: string): string {
    return hash('sha256', `${key}.${fields}`, 'base64url').slice(0, MAC_CHARS);
  }

  private keyOf(group: string, topic: string, remember: boolean): string {
    const known = this.keys.get(group)?.get(topic);
    if (known !== undefined) return known;
    // Names never contain a newline (checkGroupName, checkTopicName), so the key's input is unambiguous.
    const key = createHmac('sha256', this.secret).update(`${group}\n${topic}`).digest('base64url');
    if (remember) {
      const topics = this.keys.get(group) ?? new Map<string, string>();
      this.keys.set(group, topics.set(topic, key));
    }
    return key;
  }
}

/** Compares every character whatever differs first: how long it takes tells nothing about the MAC expected. */
function equalInConstantTime(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
