import { dirname, join } from 'node:path';
import type { ServiceDefinition } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';

/**
 * The service definition comes from the .proto files shipped inside the official Node client, so
 * the broker and the client can never disagree on the wire format.
 */
export function loadMessagingService(): ServiceDefinition {
  const protoRoot = join(dirname(require.resolve('rocketmq-client-nodejs/package.json')), 'proto');
  const definition = loadSync('apache/rocketmq/v2/service.proto', {
    includeDirs: [protoRoot],
    keepCase: false,
    longs: Number,
    enums: String,
    defaults: false,
    arrays: true,
    oneofs: true,
  });
  const service = definition['apache.rocketmq.v2.MessagingService'];
  if (!service || !('SendMessage' in service)) throw new Error(`MessagingService not found under ${protoRoot}`);
  const receive = (service as ServiceDefinition).ReceiveMessage;
  const serialize = receive.responseSerialize;
  // Deliveries arrive already encoded (delivery-encoder.ts); status lines go through the generic path.
  receive.responseSerialize = (value: unknown) => (Buffer.isBuffer(value) ? value : serialize(value));
  return service as ServiceDefinition;
}
