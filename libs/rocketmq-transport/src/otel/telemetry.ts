import { type Attributes, type Context, type Link, type Meter, type Span, SpanKind, SpanStatusCode, type TextMapGetter, context, metrics, propagation, trace } from '@opentelemetry/api';

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

/** Attribute sets per topic, built once: a span or a counter per message must not cost an object per message. */
const topicAttributes = new Map<string, { base: Attributes; sendSpan: Attributes }>();

function attributesOf(topic: string): { base: Attributes; sendSpan: Attributes } {
  let attributes = topicAttributes.get(topic);
  if (!attributes) {
    const base = Object.freeze({ 'messaging.system': 'rocketmq', 'messaging.destination.name': topic });
    topicAttributes.set(topic, (attributes = { base, sendSpan: Object.freeze({ ...base, 'messaging.operation.type': 'send' }) }));
  }
  return attributes;
}

/** Reads the trace context from a message's user properties without copying them into an object. */
const propertiesGetter: TextMapGetter<ReadonlyMap<string, string>> = {
  keys: (properties) => [...properties.keys()],
  get: (properties, key) => properties.get(key),
};

/** Runs `publish` inside a PRODUCER span and returns the W3C trace context to carry in user properties. */
export async function tracedPublish<T>(topic: string, operation: string, publish: (carrier: Record<string, string>) => Promise<T>): Promise<T> {
  const { base, sendSpan } = attributesOf(topic);
  return tracer().startActiveSpan(`${operation} ${topic}`, { kind: SpanKind.PRODUCER, attributes: sendSpan }, async (span) => {
    const carrier: Record<string, string> = {};
    propagation.inject(context.active(), carrier);
    const started = performance.now();
    try {
      const result = await publish(carrier);
      instruments().published.add(1, base);
      return result;
    } catch (error) {
      fail(span, error);
      throw error;
    } finally {
      instruments().publishDuration.record((performance.now() - started) / 1000, base);
      span.end();
    }
  });
}

/** Runs one handler invocation of a subscription in its CONSUMER span. */
export type TracedProcess = <T>(messageAttributes: () => Attributes, properties: ReadonlyMap<string, string>, handle: () => Promise<T>) => Promise<T>;

/**
 * For one subscription: runs a handler inside a CONSUMER span that continues the producer's trace
 * (parent) and links to the producer span, as the messaging conventions suggest for a process span.
 * The span starts with the attributes samplers look at (system, destination, group, operation); the
 * message's own are built only for a span that records.
 */
export function processTracing(topic: string, group: string): TracedProcess {
  const name = `process ${topic}`;
  const metricAttributes = Object.freeze({ ...attributesOf(topic).base, 'messaging.consumer.group.name': group });
  const spanAttributes = Object.freeze({ ...metricAttributes, 'messaging.operation.type': 'process' });
  return async (messageAttributes, properties, handle) => {
    const parent: Context = propagation.extract(context.active(), properties, propertiesGetter);
    const producer = trace.getSpanContext(parent);
    const links: Link[] = producer ? [{ context: producer }] : [];
    return tracer().startActiveSpan(name, { kind: SpanKind.CONSUMER, links, attributes: spanAttributes }, parent, async (span) => {
      if (span.isRecording()) span.setAttributes(messageAttributes());
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
    });
  };
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
