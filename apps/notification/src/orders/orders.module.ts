import { Module } from '@nestjs/common';
import { OrderLifecycleHandler } from './order-lifecycle.handler';

/** Orders: each user's orders as they move through their lifecycle, in order. */
@Module({ controllers: [OrderLifecycleHandler] })
export class OrdersModule {}
