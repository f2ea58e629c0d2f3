export { RocketMQHealthIndicator } from './rocketmq.health-indicator';
