import { Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { type TriggerDefinition, TriggerDefinitionSchema } from './trigger-definition';
import { TriggerRegistry, type TriggerState } from './trigger-registry';

@ApiTags('triggers')
@Controller('triggers')
export class TriggersController {
  constructor(private readonly registry: TriggerRegistry) {}

  @Get()
  list(): TriggerState[] {
    return this.registry.list();
  }

  /** Starts a trigger: 201 with its settings (defaults filled in), 409 when the name is taken, 400 on invalid settings. */
  @Post()
  add(@ZodBody(TriggerDefinitionSchema) definition: TriggerDefinition): Promise<TriggerState> {
    return this.registry.add(definition);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.registry.remove(name);
  }
}
