import { Body } from '@nestjs/common';
import { ApiBody } from '@nestjs/swagger';
import type { z } from 'zod';
import { zodToOpenApi } from './zod-openapi';
import { ZodValidationPipe } from './zod-validation.pipe';

/**
 * `@ZodBody(schema) body: z.output<typeof schema>` validates the request body with the schema and
 * documents the same schema in OpenAPI, so the docs cannot drift from what the endpoint accepts.
 */
export function ZodBody(schema: z.ZodType): ParameterDecorator {
  const openApiSchema = zodToOpenApi(schema);
  return (target, method, index) => {
    Body(new ZodValidationPipe(schema))(target, method, index);
    if (method === undefined) throw new Error('@ZodBody() belongs on a route handler parameter, not a constructor');
    const descriptor = Object.getOwnPropertyDescriptor(target, method);
    if (descriptor === undefined) throw new Error(`@ZodBody(): no method ${String(method)} on ${target.constructor.name}`);
    ApiBody({ schema: openApiSchema })(target, method, descriptor);
  };
}
