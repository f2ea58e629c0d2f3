import type { RocketMQMessage } from '@rocketmq-shop/rocketmq-transport';

/**
 * What a function receives per message: the shape ApsaraMQ for RocketMQ's Function Compute trigger
 * hands over (msgId, topic, systemProperties, userProperties, body), so a function written for it
 * runs unchanged behind this trigger.
 */
export interface FunctionEvent {
  msgId: string;
  topic: string;
  systemProperties: Record<string, string>;
  userProperties: Record<string, string>;
  /** The body as JSON when it is JSON, else as UTF-8 text, else base64 (with BODY_ENCODING=base64). */
  body: unknown;
}

export function functionEventOf(message: RocketMQMessage, consumerGroup: string): FunctionEvent {
  const body = bodyOf(message.body);
  const systemProperties: Record<string, string> = {
    UNIQ_KEY: message.messageId,
    CONSUMER_GROUP: consumerGroup,
    BORN_HOST: message.bornHost,
    // Apache RocketMQ's names: RECONSUME_TIME counts redeliveries, so the first delivery is 0.
    RECONSUME_TIME: String(message.deliveryAttempt - 1),
  };
  if (message.tag !== undefined) systemProperties.TAGS = message.tag;
  if (message.keys.length > 0) systemProperties.KEYS = message.keys.join(' ');
  if (message.messageGroup !== undefined) systemProperties.MESSAGE_GROUP = message.messageGroup;
  if (message.bornTimestamp) systemProperties.BORN_TIMESTAMP = String(message.bornTimestamp.getTime());
  if (message.deliveryTimestamp) systemProperties.DELIVERY_TIMESTAMP = String(message.deliveryTimestamp.getTime());
  if (message.offset !== undefined) systemProperties.QUEUE_OFFSET = String(message.offset);
  if (body.encoding) systemProperties.BODY_ENCODING = body.encoding;
  return { msgId: message.messageId, topic: message.topic, systemProperties, userProperties: Object.fromEntries(message.properties), body: body.value };
}

function bodyOf(bytes: Buffer): { value: unknown; encoding?: 'base64' } {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  if (Buffer.from(text, 'utf8').equals(bytes)) {
    try {
      return { value: JSON.parse(text) };
    } catch {
      return { value: text };
    }
  }
  return { value: bytes.toString('base64'), encoding: 'base64' };
}
