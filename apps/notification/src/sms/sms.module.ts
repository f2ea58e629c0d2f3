import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { WelcomeSmsHandler } from './welcome-sms.handler';

/** SMS: a welcome text message per registered user. */
@Module({ imports: [DeliveriesModule], controllers: [WelcomeSmsHandler] })
export class SmsModule {}
