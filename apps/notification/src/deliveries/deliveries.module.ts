import { Module } from '@nestjs/common';
import { DeliveriesController } from './deliveries.controller';
import { WelcomeDeliveryService } from './welcome-delivery.service';

/** The delivery log shared by the email and SMS contexts: one provider call and one row per message and channel. */
@Module({ controllers: [DeliveriesController], providers: [WelcomeDeliveryService], exports: [WelcomeDeliveryService] })
export class DeliveriesModule {}
