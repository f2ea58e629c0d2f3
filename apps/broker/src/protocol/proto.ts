import { dirname, join } from 'node:path';
import { type Options, type ServiceDefinition, loadSync } from '@grpc/proto-loader';
import { decodeAckMessageRequest, decodeReceiveMessageRequest } from './consumer-request-decoder';
import { type AckResponse, type ReceiveStatusResponse, encodeAckMessageResponse, encodeReceiveStatusResponse } from './consumer-response-encoder';
import { decodeSendMessageRequest } from './send-request-decoder';
import { type SendResponse, encodeSendMessageResponse } from './send-response-encoder';

/** The .proto files shipped inside the official Node client: the broker and the client can never disagree on the wire format. */
export const PROTO_ROOT = join(dirname(require.resolve('rocketmq-client-nodejs/package.json')), 'proto');

/** How messages look in the broker (wire.ts): camelCase, enums as names, int64 as number. */
export const PROTO_OPTIONS: Options = { includeDirs: [PROTO_ROOT], keepCase: false, longs: Number, enums: String, defaults: false, arrays: true, oneofs: true };

/** The generic service definition, as @grpc/proto-loader builds it. */
export function loadGenericService(): ServiceDefinition {
  const service = loadSync('apache/rocketmq/v2/service.proto', PROTO_OPTIONS)['apache.rocketmq.v2.MessagingService'];
  if (!service || !('SendMessage' in service)) throw new Error(`MessagingService not found under ${PROTO_ROOT}`);
  return service as ServiceDefinition;
}

/**
 * The service definition the broker serves: the generic one, with the data path's requests read
 * without a second pass (send-request-decoder.ts, consumer-request-decoder.ts) and its responses written by hand
 * (send-response-encoder.ts, consumer-response-encoder.ts). Deliveries arrive already encoded
 * (delivery-encoder.ts): the server writes bytes as they are.
 */
export function loadMessagingService(): ServiceDefinition {
  const service = loadGenericService();
  service.SendMessage.requestDeserialize = decodeSendMessageRequest;
  service.SendMessage.responseSerialize = (response: object) => encodeSendMessageResponse(response as SendResponse);
  service.ReceiveMessage.requestDeserialize = decodeReceiveMessageRequest;
  service.AckMessage.requestDeserialize = decodeAckMessageRequest;
  service.AckMessage.responseSerialize = (response: object) => encodeAckMessageResponse(response as AckResponse);
  service.ReceiveMessage.responseSerialize = (response: object) => encodeReceiveStatusResponse(response as ReceiveStatusResponse);
  return service;
}
