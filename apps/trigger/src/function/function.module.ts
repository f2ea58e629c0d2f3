import { Module } from '@nestjs/common';
import { ReceivedEventsController } from './received-events.controller';

@Module({ controllers: [ReceivedEventsController] })
export class FunctionModule {}
