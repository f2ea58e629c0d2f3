import { metrics, trace } from '@opentelemetry/api';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceConfig } from '../config/service-config';

export interface ServiceTelemetry {
  /** Serves the service's metrics (the transport's messaging counters included) in Prometheus text. */
  serveMetrics(request: IncomingMessage, response: ServerResponse): void;
  shutdown(): Promise<void>;
}

let installed: ServiceTelemetry | undefined;

/**
 * Registers the OpenTelemetry SDK for this process: W3C trace context with async-hooks context, so the
 * transport's PRODUCER/CONSUMER spans carry one trace across services (the trace id is in every log
 * line); and a meter provider read by a Prometheus exporter served at `/metrics`. Spans are not
 * exported anywhere by default: the logs carry their ids.
 */
export function installTelemetry(config: Pick<ServiceConfig, 'name' | 'instanceId'>): ServiceTelemetry {
  if (installed) return installed;
  const resource = resourceFromAttributes({ 'service.name': config.name, 'service.instance.id': config.instanceId });
  const tracerProvider = new NodeTracerProvider({ resource });
  tracerProvider.register();
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ resource, readers: [exporter] });
  metrics.setGlobalMeterProvider(meterProvider);
  installed = {
    serveMetrics: (request, response) => exporter.getMetricsRequestHandler(request, response),
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
  return installed;
}

/** `trace_id`/`span_id` of the active span, for log lines. */
export function activeTraceIds(): { trace_id?: string; span_id?: string } {
  const context = trace.getActiveSpan()?.spanContext();
  return context ? { trace_id: context.traceId, span_id: context.spanId } : {};
}
