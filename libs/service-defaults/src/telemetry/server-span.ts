import { type Context, ROOT_CONTEXT, SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { exportsSpans } from './instrumentations';

/**
 * Hands the server's requests that `takes` accepts to its 'request' listeners past the HTTP
 * instrumentation, when nothing exports spans (ADR 0032). The instrumentation wraps
 * `http.Server.prototype.emit`; even for a request its ignore hook skips, it switches context and binds
 * both emitters, which cost a hot path like the flash sale's front door a quarter of its CPU. Such a
 * listener opens its own span with `serverSpan`.
 */
export function bypassHttpInstrumentation(server: Server, takes: (request: IncomingMessage) => boolean, env: NodeJS.ProcessEnv = process.env): void {
  if (exportsSpans(env)) return;
  const instrumented = server.emit.bind(server) as (event: string | symbol, ...args: unknown[]) => boolean;
  server.emit = ((event: string | symbol, ...args: unknown[]) =>
    event === 'request' && takes(args[0] as IncomingMessage) ? EventEmitter.prototype.emit.call(server, event, ...args) : instrumented(event, ...args)) as Server['emit'];
}

/** Runs work in a request's server span, also from callbacks that lost the request's async context. */
export type InServerSpan = <T>(work: () => T) => T;

/**
 * A request's server span: the HTTP instrumentation's, when it made one for the request; else a span of
 * its own, child of the request's `traceparent`, which gives logs, the response's trace headers and
 * the messages published meanwhile their trace (with nothing exporting, the sampler only makes ids).
 * That span ends when the response does.
 */
export function serverSpan(request: IncomingMessage, response: ServerResponse, name: string): InServerSpan {
  const spanContext = serverSpanContext(request, response, name);
  return (work) => context.with(spanContext, work);
}

function serverSpanContext(request: IncomingMessage, response: ServerResponse, name: string): Context {
  const active = context.active();
  if (trace.getSpan(active)) return active;
  const parent = propagation.extract(ROOT_CONTEXT, request.headers);
  const span = trace.getTracer('@rocketmq-shop/service-defaults').startSpan(name, { kind: SpanKind.SERVER }, parent);
  response.once('close', () => span.end());
  return trace.setSpan(parent, span);
}
