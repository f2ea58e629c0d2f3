import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, faultSwitches } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import { FaultInjector, type Faults, ProviderFaults } from './fault-injector';

const ProviderChanges = ProviderFaults.partial().strict();
const FaultsBody = faultSwitches({ ...ProviderFaults.shape, email: ProviderChanges, sms: ProviderChanges });

@ApiTags('faults')
@Controller('faults')
export class FaultsController {
  constructor(private readonly faults: FaultInjector) {}

  @Get()
  current(): Faults {
    return this.faults.current;
  }

  /**
   * Demo knob: `failureRate` and `latencyMs` for every handler (both providers, the contacts and orders
   * stores), `email` / `sms` for one provider only — a slow or failing email provider leaves SMS alone.
   * Answers the settings now in force.
   */
  @Put()
  set(@ZodBody(FaultsBody) body: z.output<typeof FaultsBody>): Faults {
    return this.faults.update(body);
  }
}
