import type { Type } from '@nestjs/common';

/**
 * `FAULTS_ENABLED=true` turns on a service's `/faults` endpoints (crash switches, injected failures and
 * delays): on in the demo and the tests, off unless asked for — compose leaves it off.
 */
export function faultsEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FAULTS_ENABLED === 'true';
}

/** The controllers given when faults are enabled, none otherwise: the routes do not exist at all. */
export function faultControllers(controllers: Type<unknown>[], env: NodeJS.ProcessEnv = process.env): Type<unknown>[] {
  return faultsEnabled(env) ? controllers : [];
}
