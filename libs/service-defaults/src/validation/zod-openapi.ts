import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { z } from 'zod';

/**
 * A zod schema as an OpenAPI 3.0 schema object, for @ApiBody / @ApiResponse. Request bodies are
 * described as input (fields with defaults are optional); types JSON cannot express become `{}`.
 */
export function zodToOpenApi(schema: z.ZodType, io: 'input' | 'output' = 'input'): SchemaObject {
  // Recursive schemas would need $defs, which OpenAPI 3.0 has no place for: fail at start-up instead.
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any', cycles: 'throw' });
  return jsonSchema as SchemaObject;
}
