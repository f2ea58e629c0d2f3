import { Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, faultSwitches } from '@rocketmq-shop/service-defaults';
import type { z } from 'zod';
import { CrashFault, CrashRate } from './crash-fault';

const FaultsBody = faultSwitches({ crashBetweenHalfAndCommitRate: CrashRate });

interface RegistrationFaults {
  crashBetweenHalfAndCommitRate: number;
}

@ApiTags('faults')
@Controller('faults')
export class FaultsController {
  constructor(private readonly crash: CrashFault) {}

  @Get()
  current(): RegistrationFaults {
    return { crashBetweenHalfAndCommitRate: this.crash.crashBetweenHalfAndCommitRate };
  }

  /** Demo knob: the probability of dying between the local commit and the transaction commit. */
  @Put()
  set(@ZodBody(FaultsBody) body: z.output<typeof FaultsBody>): RegistrationFaults {
    if (body.crashBetweenHalfAndCommitRate !== undefined) this.crash.crashBetweenHalfAndCommitRate = body.crashBetweenHalfAndCommitRate;
    return this.current();
  }
}
