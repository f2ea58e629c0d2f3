import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { WelcomeEmailHandler } from './welcome-email.handler';

/** Email: a welcome email per registered user. */
@Module({ imports: [DeliveriesModule], controllers: [WelcomeEmailHandler] })
export class EmailModule {}
