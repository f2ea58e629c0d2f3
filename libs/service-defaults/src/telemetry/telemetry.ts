import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { ServiceConfig } from '../config/service-config';
import { exportsSpans, serviceInstrumentations } from './instrumentations';

export interface ServiceTelemetry {
  /** Serves the service's metrics (the transport's messaging counters included) in Prometheus text. */
  serveMetrics(request: IncomingMessage, response: ServerResponse): void;
  shutdown(): Promise<void>;
}

let installed: ServiceTelemetry | undefined;

/**
 * Starts the OpenTelemetry SDK (`NodeSDK`) for this process: W3C trace context with async-hooks
 * context, so the transport's PRODUCER/CONSUMER spans carry one trace across services and every log
 * line its ids; HTTP spans, and Express, Nest and pg spans when exporting (`instrumentations.ts`); resource service.name, service.version,
 * service.instance.id (plus OTEL_RESOURCE_ATTRIBUTES); metrics read by a Prometheus exporter served at
 * `/metrics`. Spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, with the exporter's other OTEL_* settings; otherwise
 * they are not recorded, only their ids are made (for logs and responses). Logs are not exported: they go to stdout.
 */
export function installTelemetry(config: Pick<ServiceConfig, 'name' | 'instanceId'>, env: NodeJS.ProcessEnv = process.env): ServiceTelemetry {
  if (installed) return installed;
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const exportSpans = exportsSpans(env);
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ 'service.name': config.name, 'service.version': appVersion(), 'service.instance.id': config.instanceId }),
    // Spans nobody exports are not recorded either: the sampler still gives every span its ids (logs,
    // response headers, traceparent in messages), without the attributes, events and timing (ADR 0021).
    ...(exportSpans ? { traceExporter: new OTLPTraceExporter() } : { spanProcessors: [new tracing.NoopSpanProcessor()], sampler: new tracing.AlwaysOffSampler() }),
    metricReaders: [prometheus],
    logRecordProcessors: [],
    instrumentations: serviceInstrumentations(),
  });
  sdk.start();
  installed = {
    serveMetrics: (request, response) => prometheus.getMetricsRequestHandler(request, response),
    shutdown: () => sdk.shutdown(),
  };
  return installed;
}

/** `trace_id`/`span_id` of the active span, for log lines. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
}

/** The version in the package.json nearest the entry point (the app's), if any. */
function appVersion(): string {
  for (let dir = require.main ? dirname(require.main.filename) : process.cwd(); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) return (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version ?? 'unknown';
  }
  return 'unknown';
}
