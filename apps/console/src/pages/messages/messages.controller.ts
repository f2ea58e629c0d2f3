import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import type { MessageHistory, MessageView } from '../../api-contract/messages';
import { BrokerAdmin } from '../../upstream/broker-admin';
import { RESOURCE_NAME, RESOURCE_NAME_RULE } from '../../api-contract/names';
import { MessageIdPipe } from '../../validation/path-params';

const ByKeySchema = z.object({ topic: z.string().regex(RESOURCE_NAME, RESOURCE_NAME_RULE), key: z.string().min(1).max(128) }).strict();

@ApiTags('messages')
@Controller('api/messages')
export class MessagesController {
  constructor(private readonly broker: BrokerAdmin) {}

  /** Messages of a topic carrying a key. */
  @Get()
  byKey(@Query(new ZodValidationPipe(ByKeySchema)) query: z.output<typeof ByKeySchema>): Promise<MessageView[]> {
    return this.broker.get(`/messages?${new URLSearchParams(query)}`);
  }

  /** The message with its trail: sent, each delivery attempt per group, ack or DLQ, trace id. */
  @Get(':id')
  history(@Param('id', MessageIdPipe) id: string): Promise<MessageHistory> {
    return this.broker.get(`/messages/${id}/trail`);
  }
}
