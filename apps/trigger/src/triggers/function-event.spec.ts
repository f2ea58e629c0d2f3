import type { RocketMQMessage } from '@rocketmq-shop/rocketmq-transport';
import { describe, expect, it } from 'vitest';
import { functionEventOf } from './function-event';

const message = (body: Buffer, extra: Partial<RocketMQMessage> = {}): RocketMQMessage => ({
  messageId: '01ABC',
  topic: 'message-processing',
  body,
  tag: 'OrderCreated',
  keys: ['ORD-1', 'CUS-1'],
  properties: new Map([['region', 'eu']]),
  bornHost: 'host-1',
  bornTimestamp: new Date(1_781_272_484_388),
  deliveryAttempt: 2,
  offset: 7,
  corrupted: false,
  receiptHandle: 'h',
  endpoint: '127.0.0.1:8081',
  ...extra,
});

describe('functionEventOf', () => {
  it('has the Function Compute trigger shape: msgId, topic, systemProperties, userProperties, JSON body', () => {
    expect(functionEventOf(message(Buffer.from('{"eventType":"OrderCreated","amount":250}')), 'fc-group')).toEqual({
      msgId: '01ABC',
      topic: 'message-processing',
      systemProperties: {
        UNIQ_KEY: '01ABC',
        CONSUMER_GROUP: 'fc-group',
        BORN_HOST: 'host-1',
        RECONSUME_TIME: '1',
        TAGS: 'OrderCreated',
        KEYS: 'ORD-1 CUS-1',
        BORN_TIMESTAMP: '1781272484388',
        QUEUE_OFFSET: '7',
      },
      userProperties: { region: 'eu' },
      body: { eventType: 'OrderCreated', amount: 250 },
    });
  });

  it('passes text that is not JSON as text, and bytes that are not UTF-8 as base64, saying so', () => {
    expect(functionEventOf(message(Buffer.from('plain words')), 'g').body).toBe('plain words');
    const binary = functionEventOf(message(Buffer.from([0xff, 0xfe, 0x00])), 'g');
    expect([binary.body, binary.systemProperties.BODY_ENCODING]).toEqual(['//4A', 'base64']);
  });
});
