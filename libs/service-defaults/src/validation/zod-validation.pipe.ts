import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `items.0.quantity`; empty for the body itself. */
  path: string;
  code: string;
  message: string;
}

/** Parses a request part with a zod schema: the handler gets the parsed value, a bad request gets 400 and every issue. */
export class ZodValidationPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(value: unknown): z.output<Schema> {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      issues: result.error.issues.map(toValidationIssue),
    });
  }
}

function toValidationIssue(issue: z.core.$ZodIssue): ValidationIssue {
  return { path: issue.path.map(String).join('.'), code: issue.code, message: issue.message };
}
