import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { notificationEmailGroup } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { WelcomeDeliveryService } from '../deliveries/welcome-delivery.service';

/** Its own consumer group: email gets every registration, whatever SMS is doing. */
@Controller()
export class WelcomeEmailHandler {
  constructor(private readonly deliveries: WelcomeDeliveryService) {}

  @RocketMQEventPattern(notificationEmailGroup.topic.topic, { group: notificationEmailGroup.name })
  onUserRegistered(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    return this.deliveries.deliver('email', data, context);
  }
}
