/** Per-message options of `emit()`/`send()`: everything RocketMQ 5 lets a producer set. */
export interface RocketMQRecordOptions {
  tag?: string;
  keys?: string[];
  /** FIFO topics: messages of one group are consumed in publish order (e.g. the user id). */
  messageGroup?: string;
  /** DELAY topics: deliver after this many ms (≤ 1 day). */
  delayMs?: number;
  /** DELAY topics: deliver at this time. */
  deliverAt?: Date;
  /** User properties (SQL92-filterable). Keys must not be RocketMQ's reserved ones. */
  properties?: Record<string, string>;
}

export class RocketMQRecord<TData = unknown> {
  constructor(
    readonly data: TData,
    readonly options: RocketMQRecordOptions = {},
  ) {}
}

/**
 * Builds the record `emit()` publishes, like Nest's RmqRecordBuilder:
 * `client.emit('orders', new RocketMQRecordBuilder(order).setMessageGroup(order.userId).setTag('CREATED').build())`.
 */
export class RocketMQRecordBuilder<TData> {
  private options: RocketMQRecordOptions = {};

  constructor(private data?: TData) {}

  setData(data: TData): this {
    this.data = data;
    return this;
  }

  setTag(tag: string): this {
    this.options.tag = tag;
    return this;
  }

  setKeys(...keys: string[]): this {
    this.options.keys = keys;
    return this;
  }

  setMessageGroup(messageGroup: string): this {
    this.options.messageGroup = messageGroup;
    return this;
  }

  setDelay(delayMs: number): this {
    this.options.delayMs = delayMs;
    return this;
  }

  setDeliverAt(deliverAt: Date): this {
    this.options.deliverAt = deliverAt;
    return this;
  }

  setProperties(properties: Record<string, string>): this {
    this.options.properties = { ...this.options.properties, ...properties };
    return this;
  }

  build(): RocketMQRecord<TData> {
    return new RocketMQRecord(this.data as TData, { ...this.options });
  }
}
