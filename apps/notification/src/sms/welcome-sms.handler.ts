import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { notificationSmsGroup } from '@rocketmq-shop/contracts';
import { type RocketMQContext, RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { WelcomeDeliveryService } from '../deliveries/welcome-delivery.service';

/** Its own consumer group: SMS gets every registration, whatever email is doing. */
@Controller()
export class WelcomeSmsHandler {
  constructor(private readonly deliveries: WelcomeDeliveryService) {}

  @RocketMQEventPattern(notificationSmsGroup.topic.topic, { group: notificationSmsGroup.name })
  onUserRegistered(@Payload() data: unknown, @Ctx() context: RocketMQContext): Promise<void> {
    return this.deliveries.deliver('sms', data, context);
  }
}
