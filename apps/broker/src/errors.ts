/** Status codes of apache.rocketmq.v2 (definition.proto), the subset this broker returns. */
export enum Code {
  OK = 20000,
  MULTIPLE_RESULTS = 30000,
  BAD_REQUEST = 40000,
  ILLEGAL_TOPIC = 40002,
  ILLEGAL_CONSUMER_GROUP = 40003,
  ILLEGAL_MESSAGE_TAG = 40004,
  ILLEGAL_MESSAGE_KEY = 40005,
  ILLEGAL_MESSAGE_GROUP = 40006,
  ILLEGAL_MESSAGE_PROPERTY_KEY = 40007,
  INVALID_TRANSACTION_ID = 40008,
  ILLEGAL_MESSAGE_ID = 40009,
  ILLEGAL_FILTER_EXPRESSION = 40010,
  ILLEGAL_INVISIBLE_TIME = 40011,
  ILLEGAL_DELIVERY_TIME = 40012,
  INVALID_RECEIPT_HANDLE = 40013,
  MESSAGE_PROPERTY_CONFLICT_WITH_TYPE = 40014,
  CLIENT_ID_REQUIRED = 40017,
  ILLEGAL_POLLING_TIME = 40018,
  UNAUTHORIZED = 40100,
  FORBIDDEN = 40300,
  NOT_FOUND = 40400,
  MESSAGE_NOT_FOUND = 40401,
  TOPIC_NOT_FOUND = 40402,
  MESSAGE_BODY_TOO_LARGE = 41301,
  MESSAGE_BODY_EMPTY = 41302,
  TOO_MANY_REQUESTS = 42900,
  MESSAGE_PROPERTIES_TOO_LARGE = 43101,
  INTERNAL_SERVER_ERROR = 50001,
  UNSUPPORTED = 50500,
}

/** A failure the client sees as a Status in the response body with this code, as the Java proxy answers. */
export class BrokerError extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
  }

  static from(error: unknown): BrokerError {
    if (error instanceof BrokerError) return error;
    return new BrokerError(Code.INTERNAL_SERVER_ERROR, error instanceof Error ? error.message : String(error));
  }
}

/** The Java client's wording, which users search for (MQClientException CODE 17). */
export function topicNotFound(topic: string): BrokerError {
  return new BrokerError(Code.TOPIC_NOT_FOUND, `CODE: 17  DESC: No topic route info in name server for the topic: ${topic}`);
}
