import { trace } from '@opentelemetry/api';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Express middleware: every response names its trace — `traceparent` (W3C format, the server span)
 * and `x-trace-id` — so a client can look a request up in Jaeger or in the logs without searching.
 */
export function traceHeaders(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
  const context = trace.getActiveSpan()?.spanContext();
  if (context) {
    response.setHeader('traceparent', `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`);
    response.setHeader('x-trace-id', context.traceId);
  }
  next();
}
