import { Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import type { TriggerInput, TriggerState } from '../../api-contract/triggers';
import { ShopServices } from '../../upstream/shop-services';
import { NamePipe } from '../../validation/path-params';

/** The trigger service checks every setting (and answers 400 naming the field); here only that it is a JSON object. */
const TriggerBodySchema = z.record(z.string(), z.unknown());

@ApiTags('triggers')
@Controller('api/triggers')
export class TriggersController {
  constructor(private readonly services: ShopServices) {}

  @Get()
  list(): Promise<TriggerState[]> {
    return this.services.request('trigger', 'GET', '/triggers');
  }

  @Post()
  create(@ZodBody(TriggerBodySchema) trigger: TriggerInput): Promise<TriggerState> {
    return this.services.request('trigger', 'POST', '/triggers', trigger);
  }

  @Put(':name')
  update(@Param('name', NamePipe) name: string, @ZodBody(TriggerBodySchema) trigger: TriggerInput): Promise<TriggerState> {
    return this.services.request('trigger', 'PUT', `/triggers/${name}`, trigger);
  }

  @Delete(':name')
  @HttpCode(204)
  remove(@Param('name', NamePipe) name: string): Promise<void> {
    return this.services.request('trigger', 'DELETE', `/triggers/${name}`);
  }
}
