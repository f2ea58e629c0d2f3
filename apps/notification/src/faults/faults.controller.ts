import { Controller, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { FaultInjector, Faults } from './fault-injector';

const FaultsBody = Faults.partial();

@ApiTags('faults')
@Controller('faults')
export class FaultsController {
  constructor(private readonly faults: FaultInjector) {}

  /** Demo knob: provider latency and the failure rate of every handler. Answers the settings now in force. */
  @Put()
  set(@ZodBody(FaultsBody) body: z.output<typeof FaultsBody>): Faults {
    return this.faults.update(body);
  }
}
