export { type PublishedMessage, RocketMQTestClient } from './rocketmq-test-client';
export { type RocketMQDelivery, RocketMQTestServer, type TestMessageFields } from './rocketmq-test-server';
