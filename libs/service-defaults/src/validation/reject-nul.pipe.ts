import { BadRequestException, type PipeTransform } from '@nestjs/common';

/**
 * Global pipe over every body, path parameter and query value: Postgres cannot store a NUL character
 * in text, so one anywhere in a request is the client's error (400) instead of a database failure.
 */
export class RejectNulPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const path = nulPath(value, []);
    if (path !== undefined) {
      throw new BadRequestException({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        issues: [{ path: path.join('.'), code: 'invalid_string', message: 'must not contain NUL characters' }],
      });
    }
    return value;
  }
}

function nulPath(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, nested] of Object.entries(value)) {
    if (key.includes('\0')) return [...path, key];
    const found = nulPath(nested, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
