import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let instrumentations: ReturnType<typeof createInstrumentations> | undefined;

/** True when spans leave the process (OTLP endpoint set); otherwise they are only ids, never recorded. */
export function exportsSpans(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * The instrumentations that matter here: HTTP (server and client spans), Express (the route's
 * request-handler span), Nest (the controller and handler spans) and pg (a span per query, under the
 * request or message that ran it). Each patches its module as soon as it is created, and only loads
 * that come later: so this first runs before Nest loads, at the top of a service's main.ts
 * (`@rocketmq-shop/service-defaults/instrument`). The NodeSDK then gets the same instances and gives
 * them its tracer and meter providers. Express, Nest and pg only make spans, so without an exporter
 * they are left out (their wrappers cost a hot path like the flash sale's front door for nothing); HTTP
 * stays, as its server span carries the incoming traceparent and names the trace in responses and logs.
 */
export function serviceInstrumentations() {
  instrumentations ??= createInstrumentations(exportsSpans());
  return instrumentations;
}

function createInstrumentations(exporting: boolean) {
  const http = new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url === '/health' || request.url === '/metrics' });
  if (!exporting) return [http];
  return [
    http,
    // Route handlers only: a middleware's span would be the active span in traceHeaders, whose response
    // headers must name the server span, and Nest's body parsers and routers add nothing to a trace.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
    new NestInstrumentation(),
    // Only queries under a span (a request or a message): pool pings and pollers make no traces of their own.
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}
