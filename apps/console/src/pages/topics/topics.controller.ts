import { Controller, Get, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { context, propagation } from '@opentelemetry/api';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { type CreateTopic, CreateTopicSchema, type SentMessage, type TestMessage, TestMessageSchema, type TopicDetail, type TopicSummary } from '../../api-contract/topics';
import { BrokerAdmin } from '../../upstream/broker-admin';
import { NamePipe } from '../../validation/path-params';

@ApiTags('topics')
@Controller('api/topics')
export class TopicsController {
  constructor(private readonly broker: BrokerAdmin) {}

  @Get()
  list(): Promise<TopicSummary[]> {
    return this.broker.get('/topics');
  }

  /** 201 with the topic; 409 when it exists with another type. */
  @Post()
  create(@ZodBody(CreateTopicSchema) topic: CreateTopic): Promise<TopicDetail> {
    return this.broker.request('POST', '/topics', topic);
  }

  @Get(':name')
  detail(@Param('name', NamePipe) name: string): Promise<TopicDetail> {
    return this.broker.get(`/topics/${name}`);
  }

  /**
   * Sent through the broker's produce path, validated there as a producer's message would be. It
   * carries this request's trace context (`traceparent`, as the transport's messages do), so its
   * trail shows the trace id the console's response names in `x-trace-id`.
   */
  @Post(':name/messages')
  send(@Param('name', NamePipe) name: string, @ZodBody(TestMessageSchema) message: TestMessage): Promise<SentMessage> {
    const properties: Record<string, string> = {};
    propagation.inject(context.active(), properties);
    return this.broker.request('POST', `/topics/${name}/messages`, { ...message, properties });
  }
}
