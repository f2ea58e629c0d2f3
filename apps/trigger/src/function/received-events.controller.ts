import { Body, Controller, Get, HttpCode, Logger, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** Events kept for GET /function/received: the newest ones, enough to look at in a console. */
const KEPT = 100;

/**
 * The demo's function: what a Function Compute handler for a RocketMQ trigger does — log every
 * batch it is handed — behind an HTTP endpoint, so the trigger has something to invoke.
 */
@ApiTags('function')
@Controller('function')
export class ReceivedEventsController {
  private readonly logger = new Logger('function');
  private readonly received: unknown[] = [];

  @Post()
  @HttpCode(200)
  receive(@Body() events: unknown): { received: number } {
    const batch = Array.isArray(events) ? events : [events];
    this.logger.log('===== MESSAGE RECEIVED =====');
    this.logger.log(`Message Body: ${JSON.stringify(batch)}`);
    this.received.push(...batch);
    this.received.splice(0, Math.max(0, this.received.length - KEPT));
    return { received: batch.length };
  }

  @Get('received')
  list(): unknown[] {
    return [...this.received];
  }
}
