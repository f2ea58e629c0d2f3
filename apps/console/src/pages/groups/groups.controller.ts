import { Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { type DeadLetter, type GroupConfig, type GroupConfigChange, GroupConfigSchema, type GroupDetail, type Replay, ReplaySchema } from '../../api-contract/groups';
import { BrokerAdmin } from '../../upstream/broker-admin';
import { NamePipe } from '../../validation/path-params';

@ApiTags('groups')
@Controller('api/groups')
export class GroupsController {
  constructor(private readonly broker: BrokerAdmin) {}

  @Get()
  list(): Promise<(GroupConfig & { topics: string[] })[]> {
    return this.broker.get('/groups');
  }

  @Get(':name')
  detail(@Param('name', NamePipe) name: string): Promise<GroupDetail> {
    return this.broker.get(`/groups/${name}`);
  }

  @Put(':name')
  configure(@Param('name', NamePipe) name: string, @ZodBody(GroupConfigSchema) change: GroupConfigChange): Promise<GroupConfig> {
    return this.broker.request('PUT', `/groups/${name}`, change);
  }

  @Get(':name/dlq')
  deadLetters(@Param('name', NamePipe) name: string): Promise<DeadLetter[]> {
    return this.broker.get(`/groups/${name}/dlq`);
  }

  /** Hands dead letters back to this group only, with fresh attempts. */
  @Post(':name/dlq/replay')
  @HttpCode(200)
  replay(@Param('name', NamePipe) name: string, @ZodBody(ReplaySchema) replay: Replay): Promise<{ replayed: string[] }> {
    return this.broker.request('POST', `/groups/${name}/dlq/replay`, replay);
  }
}
