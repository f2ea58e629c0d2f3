import { Controller, Get, Query } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiQuery, ApiTags } from '@nestjs/swagger';
import { ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import type { DataSource } from 'typeorm';
import { z } from 'zod';
import { Delivery, type DeliveryView, toDeliveryView } from './delivery.entity';

@ApiTags('deliveries')
@Controller('deliveries')
export class DeliveriesController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The welcome notifications sent to one user: one email and one SMS per registration. */
  @Get()
  @ApiQuery({ name: 'userId', required: true, format: 'uuid' })
  async forUser(@Query('userId', new ZodValidationPipe(z.uuid())) userId: string): Promise<DeliveryView[]> {
    const deliveries = await this.dataSource.getRepository(Delivery).find({ where: { userId }, order: { sentAt: 'ASC' } });
    return deliveries.map(toDeliveryView);
  }
}
