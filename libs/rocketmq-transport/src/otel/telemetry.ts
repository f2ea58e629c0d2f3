import { type Context, type Link, type Span, SpanKind, SpanStatusCode, context, metrics, propagation, trace } from '@opentelemetry/api';

const SCOPE = 'rocketmq-transport';
const tracer = () => trace.getTracer(SCOPE);
const meter = metrics.getMeter(SCOPE);

/** Counters and histograms named after OpenTelemetry's messaging semantic conventions. */
export const instruments = {
  published: meter.createCounter('messaging.client.sent.messages', { description: 'Messages published' }),
  publishDuration: meter.createHistogram('messaging.client.operation.duration', { unit: 's', description: 'Publish time until the broker acknowledged' }),
  consumed: meter.createCounter('messaging.client.consumed.messages', { description: 'Messages handed to handlers' }),
  processDuration: meter.createHistogram('messaging.process.duration', { unit: 's', description: 'Handler time per message' }),
  failures: meter.createCounter('rocketmq.consumer.failures', { description: 'Handler invocations that threw' }),
  retries: meter.createCounter('rocketmq.consumer.retries', { description: 'Messages handed back for a later retry' }),
  deadLettered: meter.createCounter('rocketmq.consumer.dead_lettered', { description: 'Messages sent to the dead-letter queue' }),
};

const baseAttributes = (topic: string) => ({ 'messaging.system': 'rocketmq', 'messaging.destination.name': topic });

/** Runs `publish` inside a PRODUCER span and returns the W3C trace context to carry in user properties. */
export async function tracedPublish<T>(topic: string, operation: string, publish: (carrier: Record<string, string>) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(`${operation} ${topic}`, { kind: SpanKind.PRODUCER, attributes: { ...baseAttributes(topic), 'messaging.operation.type': 'send' } }, async (span) => {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const started = performance.now();
    try {
      const result = await publish(carrier);
      instruments.published.add(1, baseAttributes(topic));
      return result;
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      instruments.publishDuration.record((performance.now() - started) / 1000, baseAttributes(topic));
      span.end();
    }
  });
}

/**
 * Runs a handler inside a CONSUMER span that continues the producer's trace (parent) and links to
 * the producer span, as the messaging conventions suggest for a process span.
 */
export async function tracedProcess<T>(
  topic: string,
  group: string,
  attributes: Record<string, string | number>,
  properties: ReadonlyMap<string, string>,
  handle: () => Promise<T>,
): Promise<T> {
  const parent: Context = propagation.extract(context.active(), Object.fromEntries(properties));
  const producer = trace.getSpanContext(parent);
  const links: Link[] = producer ? [{ context: producer }] : [];
  const metricAttributes = { ...baseAttributes(topic), 'messaging.consumer.group.name': group };
  return tracer().startActiveSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, links, attributes: { ...metricAttributes, 'messaging.operation.type': 'process', ...attributes } },
    parent,
    async (span) => {
      const started = performance.now();
      instruments.consumed.add(1, metricAttributes);
      try {
        return await handle();
      } catch (error) {
        instruments.failures.add(1, metricAttributes);
        fail(span, error);
        throw error;
      } finally {
        instruments.processDuration.record((performance.now() - started) / 1000, metricAttributes);
        span.end();
      }
    },
  );
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
