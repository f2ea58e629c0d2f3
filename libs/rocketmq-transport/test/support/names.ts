import { randomBytes } from 'node:crypto';

/** A topic or group name no other spec file (or earlier run against a kept broker) uses. */
export const unique = (name: string): string => `${name}-${randomBytes(3).toString('hex')}`;
