import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';

let instrumentations: ReturnType<typeof createInstrumentations> | undefined;

/**
 * The instrumentations that matter here: HTTP (server and client spans), Express (the route's
 * request-handler span), Nest (the controller and handler spans) and pg (a span per query, under the
 * request or message that ran it). Each patches its module as soon as it is created, and only loads
 * that come later: so this first runs before Nest loads, at the top of a service's main.ts
 * (`@rocketmq-shop/service-defaults/instrument`). The NodeSDK then gets the same instances and gives
 * them its tracer and meter providers.
 */
export function serviceInstrumentations() {
  instrumentations ??= createInstrumentations();
  return instrumentations;
}

function createInstrumentations() {
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => request.url === '/health' || request.url === '/metrics' }),
    // Route handlers only: a middleware's span would be the active span in traceHeaders, whose response
    // headers must name the server span, and Nest's body parsers and routers add nothing to a trace.
    new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
    new NestInstrumentation(),
    // Only queries under a span (a request or a message): pool pings and pollers make no traces of their own.
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}
