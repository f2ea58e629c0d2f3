import { Controller, Get } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiTags } from '@nestjs/swagger';
import type { DataSource } from 'typeorm';
import { readCounters } from './counters';

export interface NotificationStats {
  email: { sent: number; failed: number };
  sms: { sent: number; failed: number };
  contacts: { applied: number; outOfOrder: number };
  orders: { applied: number; outOfOrder: number };
}

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `failed` counts provider failures (each one retried); `outOfOrder` counts events whose version was not last + 1. */
  @Get()
  async stats(): Promise<NotificationStats> {
    const count = await readCounters(this.dataSource.manager);
    return {
      email: { sent: count('email.sent'), failed: count('email.failed') },
      sms: { sent: count('sms.sent'), failed: count('sms.failed') },
      contacts: { applied: count('contacts.applied'), outOfOrder: count('contacts.outOfOrder') },
      orders: { applied: count('orders.applied'), outOfOrder: count('orders.outOfOrder') },
    };
  }
}
