import { z } from 'zod';

/**
 * The body of a `PUT /faults`: any of the service's switches, at least one, and nothing else — a
 * misspelt switch is a 400 naming it, not a request that silently changes nothing.
 */
export function faultSwitches<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = Object.keys(shape).join(', ');
  return z
    .object(shape)
    .partial()
    .strict()
    .refine((body) => Object.keys(body).length > 0, { message: `give at least one of: ${names}` });
}
