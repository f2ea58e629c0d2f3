import { type Context, type Link, type Meter, type Span, SpanKind, SpanStatusCode, context, metrics, propagation, trace } from '@opentelemetry/api';

const SCOPE = 'rocketmq-transport';
const tracer = () => trace.getTracer(SCOPE);

/**
 * Counters and histograms named after OpenTelemetry's messaging semantic conventions. Created on
 * first use, not at import: the metrics API has no proxy provider, so instruments made before the
 * service installs its SDK would stay no-ops.
 */
export const instruments = lazily(() => createInstruments(metrics.getMeter(SCOPE)));

/** The messaging conventions' recommended buckets for durations in seconds (the SDK default is for ms). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

function createInstruments(meter: Meter) {
  const seconds = { unit: 's', advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
  return {
    published: meter.createCounter('messaging.client.sent.messages', { description: 'Messages published' }),
    publishDuration: meter.createHistogram('messaging.client.operation.duration', { ...seconds, description: 'Publish time until the broker acknowledged' }),
    consumed: meter.createCounter('messaging.client.consumed.messages', { description: 'Messages handed to handlers' }),
    processDuration: meter.createHistogram('messaging.process.duration', { ...seconds, description: 'Handler time per message' }),
    failures: meter.createCounter('rocketmq.consumer.failures', { description: 'Handler invocations that threw' }),
    retries: meter.createCounter('rocketmq.consumer.retries', { description: 'Messages handed back for a later retry' }),
    deadLettered: meter.createCounter('rocketmq.consumer.dead_lettered', { description: 'Messages sent to the dead-letter queue' }),
  };
}

function lazily<T>(create: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= create());
}

const baseAttributes = (topic: string) => ({ 'messaging.system': 'rocketmq', 'messaging.destination.name': topic });

/** Runs `publish` inside a PRODUCER span and returns the W3C trace context to carry in user properties. */
export async function tracedPublish<T>(topic: string, operation: string, publish: (carrier: Record<string, string>) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(`${operation} ${topic}`, { kind: SpanKind.PRODUCER, attributes: { ...baseAttributes(topic), 'messaging.operation.type': 'send' } }, async (span) => {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const started = performance.now();
    try {
      const result = await publish(carrier);
      instruments().published.add(1, baseAttributes(topic));
      return result;
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      instruments().publishDuration.record((performance.now() - started) / 1000, baseAttributes(topic));
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
      instruments().consumed.add(1, metricAttributes);
      try {
        return await handle();
      } catch (error) {
        instruments().failures.add(1, metricAttributes);
        fail(span, error);
        throw error;
      } finally {
        instruments().processDuration.record((performance.now() - started) / 1000, metricAttributes);
        span.end();
      }
    },
  );
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
