import { randomBytes } from 'node:crypto';
import type { Broker } from '../broker';
import { BrokerError, Code } from '../errors';
import { decodeMessage } from '../protocol/message-codec';
import { type WireMessage, timestampOf } from '../protocol/wire';

/** `POST /topics/:name/messages`: what a console's "send a test message" form may set. */
interface TestMessage {
  body: string;
  tag?: string;
  keys: string[];
  messageType: 'NORMAL' | 'FIFO' | 'DELAY';
  messageGroup?: string;
  delaySeconds?: number;
  properties: Record<string, string>;
}

const FIELDS = new Set(['body', 'tag', 'keys', 'messageType', 'messageGroup', 'delaySeconds', 'properties']);
const MESSAGE_TYPES = new Set(['NORMAL', 'FIFO', 'DELAY']);
const MAX_DELAY_SECONDS = 86_400;

/**
 * Sends one message as a producer would: the same validation as SendMessage (decodeMessage, with the
 * Java proxy's codes → 400) and the same produce path (flow control, type check, durable append).
 * No TRANSACTION: a half message needs a producer that commits it and answers check-backs.
 */
export async function sendTestMessage(broker: Broker, topic: string, body: unknown): Promise<{ messageId: string; queueId: number; offset: number }> {
  const request = parseTestMessage(body);
  const now = Date.now();
  const wire: WireMessage = {
    topic: { name: topic },
    userProperties: request.properties,
    systemProperties: {
      messageId: randomBytes(16).toString('hex').toUpperCase(),
      tag: request.tag,
      keys: request.keys,
      messageType: request.messageType,
      messageGroup: request.messageGroup,
      deliveryTimestamp: request.delaySeconds === undefined ? undefined : timestampOf(now + request.delaySeconds * 1000),
      bornTimestamp: timestampOf(now),
      bornHost: 'admin-api',
    },
    body: Buffer.from(request.body, 'utf8'),
  };
  const { messageId, queueId, offset } = await broker.producing.send(decodeMessage(wire, broker.config, now));
  return { messageId, queueId, offset };
}

function parseTestMessage(body: unknown): TestMessage {
  const bad = (message: string) => new BrokerError(Code.BAD_REQUEST, message);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('body must be a JSON object { body, tag?, keys?, messageType?, messageGroup?, delaySeconds?, properties? }');
  const fields = body as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((field) => !FIELDS.has(field));
  if (unknown.length > 0) throw bad(`unknown fields: ${unknown.join(', ')}`);
  const { tag, keys = [], messageType = 'NORMAL', messageGroup, delaySeconds, properties = {} } = fields;
  if (typeof fields.body !== 'string') throw bad('body must be a string (the message body as text)');
  if (tag !== undefined && typeof tag !== 'string') throw bad('tag must be a string');
  if (!Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) throw bad('keys must be an array of strings');
  if (typeof messageType !== 'string' || !MESSAGE_TYPES.has(messageType)) throw bad('messageType must be NORMAL, FIFO or DELAY');
  if (messageGroup !== undefined && typeof messageGroup !== 'string') throw bad('messageGroup must be a string');
  if (delaySeconds !== undefined && (!Number.isInteger(delaySeconds) || (delaySeconds as number) < 1 || (delaySeconds as number) > MAX_DELAY_SECONDS)) {
    throw bad(`delaySeconds must be an integer from 1 to ${MAX_DELAY_SECONDS}`);
  }
  if (!properties || typeof properties !== 'object' || Array.isArray(properties) || !Object.values(properties).every((value) => typeof value === 'string')) {
    throw bad('properties must be an object of string values');
  }
  return { body: fields.body, tag, keys, messageType: messageType as TestMessage['messageType'], messageGroup, delaySeconds: delaySeconds as number | undefined, properties: properties as Record<string, string> };
}
