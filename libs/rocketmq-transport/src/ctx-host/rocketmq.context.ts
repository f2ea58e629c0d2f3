import { BaseRpcContext } from '@nestjs/microservices';
import type { RocketMQMessage } from '../grpc/messaging-codec';

type RocketMQContextArgs = [message: RocketMQMessage, consumerGroup: string];

/** What a handler may want to know about the message it is handling. */
export class RocketMQContext extends BaseRpcContext<RocketMQContextArgs> {
  constructor(args: RocketMQContextArgs) {
    super(args);
  }

  /** The delivered message: body, receipt handle and every system field the transport reads. */
  getMessage(): RocketMQMessage {
    return this.args[0];
  }

  getConsumerGroup(): string {
    return this.args[1];
  }

  getTopic(): string {
    return this.args[0].topic;
  }

  getMessageId(): string {
    return this.args[0].messageId;
  }

  getTag(): string | undefined {
    return this.args[0].tag;
  }

  getKeys(): string[] {
    return this.args[0].keys;
  }

  getMessageGroup(): string | undefined {
    return this.args[0].messageGroup;
  }

  /** 1 for the first delivery; retries count up. */
  getDeliveryAttempt(): number {
    return this.args[0].deliveryAttempt;
  }

  getProperties(): ReadonlyMap<string, string> {
    return this.args[0].properties;
  }

  getBornTimestamp(): Date | undefined {
    return this.args[0].bornTimestamp;
  }
}
