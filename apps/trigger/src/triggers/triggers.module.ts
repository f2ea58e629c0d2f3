import { Module } from '@nestjs/common';
import { TRIGGERS_FILE } from './triggers-file';
import { TriggerRegistry } from './trigger-registry';
import { TriggersController } from './triggers.controller';

@Module({
  controllers: [TriggersController],
  providers: [TriggerRegistry, { provide: TRIGGERS_FILE, useValue: process.env.TRIGGERS_FILE || undefined }],
})
export class TriggersModule {}
