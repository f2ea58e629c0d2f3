import { Controller, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import { CrashFault, CrashRate } from './crash-fault';

const FaultsBody = z.object({ crashBetweenHalfAndCommitRate: CrashRate });

@ApiTags('faults')
@Controller('faults')
export class FaultsController {
  constructor(private readonly crash: CrashFault) {}

  /** Demo knob: the probability of dying between the local commit and the transaction commit. */
  @Put()
  set(@ZodBody(FaultsBody) body: z.output<typeof FaultsBody>): { crashBetweenHalfAndCommitRate: number } {
    this.crash.crashBetweenHalfAndCommitRate = body.crashBetweenHalfAndCommitRate;
    return { crashBetweenHalfAndCommitRate: this.crash.crashBetweenHalfAndCommitRate };
  }
}
