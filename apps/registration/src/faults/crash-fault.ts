import { Injectable } from '@nestjs/common';
import { z } from 'zod';

export const CrashRate = z.number().min(0).max(1);

/**
 * The demo's fault: die abruptly after the local transaction committed and before the transaction
 * commit reaches the broker, leaving a half message only the check-back can resolve.
 * `REGISTRATION_CRASH_RATE` sets the probability at start; `PUT /faults` changes it.
 */
@Injectable()
export class CrashFault {
  private rate = CrashRate.parse(Number(process.env.REGISTRATION_CRASH_RATE ?? 0));

  get crashBetweenHalfAndCommitRate(): number {
    return this.rate;
  }

  set crashBetweenHalfAndCommitRate(rate: number) {
    this.rate = CrashRate.parse(rate);
  }

  maybeCrash(userId: string): void {
    if (Math.random() >= this.rate) return;
    // stderr is synchronous for pipes and files on Linux, so this line survives the SIGKILL below.
    process.stderr.write(`registration crashing on purpose after committing user ${userId}, before committing its half message\n`);
    // SIGKILL, not process.exit(): no shutdown hook may send the commit or close connections politely.
    process.kill(process.pid, 'SIGKILL');
  }
}
