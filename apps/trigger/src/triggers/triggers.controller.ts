import { BadRequestException, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
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

  /** Changes a trigger's settings (the whole definition, defaults filled in): 404 when there is none by that name, 400 on invalid settings or another name in the body. */
  @Put(':name')
  replace(@Param('name') name: string, @ZodBody(TriggerDefinitionSchema) definition: TriggerDefinition): Promise<TriggerState> {
    if (definition.name !== name) throw new BadRequestException(`the body names trigger ${definition.name}, the path ${name}`);
    return this.registry.replace(definition);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name') name: string): Promise<void> {
    return this.registry.remove(name);
  }
}
