import { Controller } from '@nestjs/common';
import { SpanKind, trace } from '@opentelemetry/api';
import { RocketMQEventPattern } from '@rocketmq-shop/rocketmq-transport';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/broker';
import { decorate, handler, moduleOf, useApps } from './support/nest';
import { unique } from './support/names';
import { useInMemoryTracing } from './support/tracing';

const topic = unique('trace-checkout');
const group = unique('trace-checkout-g');
let handled = 0;

class CheckoutHandler {
  checkout(): void {
    handled++;
  }
}
decorate(CheckoutHandler, Controller(), { checkout: handler(RocketMQEventPattern(topic, { group })) });

const exporter = useInMemoryTracing();
const broker = useBroker({ topics: [{ name: topic }] });
const apps = useApps(broker);

describe('tracing', () => {
  it('continues the publisher trace in the consumer span, as its child, with a link to the producer span', async () => {
    await apps.server(moduleOf({ controllers: [CheckoutHandler] }));
    const client = await apps.client();
    await trace.getTracer('test').startActiveSpan('POST /checkout', async (span) => {
      await client.publishMessage(topic, { cartId: 'c-1' });
      span.end();
    });

    await waitFor(() => handled === 1 && exporter.getFinishedSpans().some((s) => s.kind === SpanKind.CONSUMER), { message: 'the consumer span' });
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'POST /checkout');
    const producer = spans.find((s) => s.kind === SpanKind.PRODUCER);
    const consumer = spans.find((s) => s.kind === SpanKind.CONSUMER);
    expect(producer?.name).toBe(`send ${topic}`);
    expect(producer?.parentSpanContext?.spanId).toBe(request?.spanContext().spanId);
    expect(consumer?.name).toBe(`process ${topic}`);
    expect(consumer?.spanContext().traceId).toBe(request?.spanContext().traceId);
    expect(consumer?.parentSpanContext?.spanId).toBe(producer?.spanContext().spanId);
    expect(consumer?.links.map((link) => link.context.spanId)).toEqual([producer?.spanContext().spanId]);
    expect(consumer?.attributes).toMatchObject({ 'messaging.system': 'rocketmq', 'messaging.destination.name': topic, 'messaging.consumer.group.name': group });
  });
});
