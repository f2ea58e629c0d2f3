import { ConflictException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

const UNIQUE_VIOLATION = '23505';

/** The live-email unique index refused the write: a client error (409), not a server failure. */
export function asEmailConflict(error: unknown): unknown {
  const code = error instanceof QueryFailedError ? (error.driverError as { code?: string }).code : undefined;
  return code === UNIQUE_VIOLATION ? new ConflictException('a user with this email already exists') : error;
}
