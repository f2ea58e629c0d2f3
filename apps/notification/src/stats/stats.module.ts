import { Module } from '@nestjs/common';
import { StatsController } from './stats.controller';

/** What the service has done, from persisted counters that the other contexts bump in their own transactions. */
@Module({ controllers: [StatsController] })
export class StatsModule {}
