import { randomUUID } from 'node:crypto';
import { encodeBody, HEADERS, type RocketMQBody } from '../codec';
import { type RocketMQErrorAction, decideFailure } from '../consumer/error-policy';
import { backoffFor } from '../consumer/handler-options';
import type { RocketMQMessage } from '../grpc/messaging-codec';
import type { RocketMQServerOptions } from '../rocketmq.options';
import { ServerRocketMQ, type RocketMQSubscription } from '../server/server-rocketmq';

/** What a delivery to a handler came to, as the real consumer would settle it. */
export type RocketMQDelivery =
  | { outcome: 'acknowledged'; response: unknown }
  | { outcome: Exclude<RocketMQErrorAction, 'retry'>; error: unknown; reason: string }
  | { outcome: 'retry'; error: unknown; reason: string; retryInMs: number };

/** What `deliver` may set on the message; the rest gets test values. */
export interface TestMessageFields {
  /** The consumer group whose handler gets it; needed when two handlers consume the topic. */
  group?: string;
  tag?: string;
  keys?: string[];
  messageGroup?: string;
  properties?: Record<string, string>;
  /** 1 for the first delivery (the default); a retry's attempt decides when the budget is spent. */
  deliveryAttempt?: number;
  /** The body as a client with a `serializer` sends it (the payload argument is then not used); default: the payload as JSON. */
  encoded?: RocketMQBody;
}

/**
 * A ServerRocketMQ that connects nowhere: `listen()` only resolves and validates the handlers'
 * subscriptions, and `deliver(topic, payload)` runs the matching handler through Nest's pipeline
 * (guards, interceptors, pipes, the error policy) as a delivery from the broker would, and answers
 * what the consumer would do with the message. Start it like the real one:
 * `NestFactory.createMicroservice(AppModule, { strategy: server })` then `app.listen()`.
 */
export class RocketMQTestServer extends ServerRocketMQ {
  private handlers: RocketMQSubscription[] = [];

  constructor(options: Partial<RocketMQServerOptions> = {}) {
    super({ endpoints: 'in-memory', defaultGroup: 'test', instanceId: 'test', ...options });
  }

  override async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      this.handlers = this.subscriptions();
      callback();
    } catch (error) {
      callback(error);
    }
  }

  override async close(): Promise<void> {
    this.handlers = [];
  }

  async deliver(topic: string, payload: unknown, fields: TestMessageFields = {}): Promise<RocketMQDelivery> {
    const subscription = this.subscriptionFor(topic, fields.group);
    const { body, contentType } = fields.encoded ?? encodeBody(payload);
    const message: RocketMQMessage = {
      messageId: randomUUID(),
      topic,
      body,
      tag: fields.tag,
      keys: fields.keys ?? [],
      messageGroup: fields.messageGroup,
      properties: new Map(Object.entries({ ...fields.properties, [HEADERS.contentType]: contentType })),
      bornHost: 'test',
      bornTimestamp: new Date(),
      deliveryAttempt: fields.deliveryAttempt ?? 1,
      corrupted: false,
      receiptHandle: 'test',
      endpoint: 'in-memory',
    };
    try {
      return { outcome: 'acknowledged', response: await this.invoke(subscription.options.group, subscription.handler, message) };
    } catch (error) {
      const { action, reason } = decideFailure(subscription.options, error, message);
      if (action !== 'retry') return { outcome: action, error, reason };
      return { outcome: 'retry', error, reason, retryInMs: backoffFor(subscription.options, message.deliveryAttempt) };
    }
  }

  private subscriptionFor(topic: string, group: string | undefined): RocketMQSubscription {
    const matching = this.handlers.filter((s) => s.topic === topic && (group === undefined || s.options.group === group));
    if (matching.length === 1) return matching[0];
    const groups = this.handlers.filter((s) => s.topic === topic).map((s) => s.options.group);
    if (matching.length === 0) throw new Error(`no handler consumes ${topic}${group ? ` as ${group}` : ''} (groups of ${topic}: ${groups.join(', ') || 'none'}); did the app listen?`);
    throw new Error(`${topic} has handlers in groups ${groups.join(', ')}: pass { group }`);
  }
}
