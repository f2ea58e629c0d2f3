import { type ServiceProcess, Stack, waitFor } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';

// Observability across the broker hop: the trace started where registration publishes continues in
// notification's consumer spans (one trace id in both services' logs), and each service serves its
// messaging metrics at /metrics; the services export their spans over OTLP/HTTP to a receiver in this
// process, as they would to an OpenTelemetry Collector.

const SPAN_KIND = { SERVER: 2, PRODUCER: 4, CONSUMER: 5 };

/** The JSON log lines of a service that mention `text`. */
function logLines(service: ServiceProcess, text: string): Record<string, unknown>[] {
  return service.output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(text))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Registration and notification exporting their spans to a receiver in this process with the standard
 * SDK settings (OTLP/HTTP JSON, batches sent every `batchDelayMs`), started before and stopped after the
 * describe block that calls it.
 */
function tracedShop(batchDelayMs: number): { stack: () => Stack; receiver: () => OtlpReceiver } {
  let stack: Stack;
  let receiver: OtlpReceiver;
  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_BSP_SCHEDULE_DELAY: String(batchDelayMs) };
    stack = await Stack.start({ env, services: [{ app: 'registration' }, { app: 'notification', env: { NOTIFICATION_PROVIDER_LATENCY_MS: '0' } }] });
  });
  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });
  return { stack: () => stack, receiver: () => receiver };
}

/** Registers a user over HTTP; answers the response (201 expected). */
function register(stack: Stack, name: string): Promise<Response> {
  return fetch(`${stack.url('registration')}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${name.toLowerCase()}@example.com`, phone: `+1555000${String(name.length).padStart(4, '0')}`, name }),
  });
}

describe('observability', () => {
  const shop = tracedShop(200);
  let stack: Stack;
  let receiver: OtlpReceiver;

  beforeAll(() => {
    stack = shop.stack();
    receiver = shop.receiver();
  });

  it('carries one trace from the registration to both notifications, visible in the logs of both services', async () => {
    const created = await requestJson<{ userId: string }>('POST', `${stack.url('registration')}/users`, { email: 'trace@example.com', phone: '+15550001111', name: 'Trace' });
    expect(created.status).toBe(201);
    const { userId } = created.body;

    const deliveries = await waitFor(() => logLines(stack.service('notification'), `sent to user ${userId}`).length === 2 && logLines(stack.service('notification'), `sent to user ${userId}`), {
      timeoutMs: 20_000,
      message: 'the email and SMS log lines',
    });
    const [registered] = logLines(stack.service('registration'), `registered user ${userId}`);
    expect(registered?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(deliveries.map((line) => line.trace_id)).toEqual([registered.trace_id, registered.trace_id]);
    // Each consumer span is a span of its own, child of the producer span.
    expect(new Set(deliveries.map((line) => line.span_id)).size).toBe(2);
    expect(deliveries.map((line) => line.span_id)).not.toContain(registered.span_id);
  });

  it('serves publish and consume metrics of the transport at each service /metrics', async () => {
    const registration = await (await fetch(`${stack.url('registration')}/metrics`)).text();
    expect(registration).toMatch(/^messaging_client_sent_messages_total\{[^}]*messaging_destination_name="user-registered"[^}]*\} [1-9]/m);
    const notification = await waitFor(async () => {
      const text = await (await fetch(`${stack.url('notification')}/metrics`)).text();
      return /messaging_consumer_group_name="notification-sms"/.test(text) && text;
    }, { message: 'the SMS group in notification metrics' });
    expect(notification).toMatch(/^messaging_client_consumed_messages_total\{[^}]*messaging_consumer_group_name="notification-email"[^}]*\} [1-9]/m);
    expect(notification).toMatch(/^messaging_process_duration_count\{[^}]*messaging_consumer_group_name="notification-email"[^}]*\} [1-9]/m);
    expect(notification).toMatch(/^messaging_process_duration_bucket\{[^}]*le="0.005"[^}]*\} \d/m);
    expect(await getJson<{ email: { sent: number } }>(`${stack.url('notification')}/stats`)).toMatchObject({ email: { sent: 1 } });
  });

  it('exports one trace per registration: the HTTP span, its Express, Nest and pg spans, the PRODUCER span and both CONSUMER spans', async () => {
    const response = await register(stack, 'Otlp');
    expect(response.status).toBe(201);
    const traceId = response.headers.get('x-trace-id') ?? '';
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const [, headerTrace, headerSpan] = response.headers.get('traceparent')?.split('-') ?? [];
    expect(headerTrace).toBe(traceId);

    const consumers = (spans: ReceivedSpan[]) => spans.filter((span) => span.kind === SPAN_KIND.CONSUMER);
    const express = (spans: ReceivedSpan[]) => spans.filter((span) => span.attributes['express.type'] === 'request_handler');
    const nest = (spans: ReceivedSpan[]) => spans.filter((span) => span.attributes['nestjs.type'] === 'request_context');
    const queries = (spans: ReceivedSpan[]) => spans.filter((span) => span.attributes['db.system'] === 'postgresql' || span.attributes['db.system.name'] === 'postgresql');
    // Each service exports its own batches: wait until the server, producer and both consumer spans are in.
    const complete = (spans: ReceivedSpan[]) =>
      consumers(spans).length === 2 && [SPAN_KIND.SERVER, SPAN_KIND.PRODUCER].every((kind) => spans.some((span) => span.kind === kind)) && [express, nest, queries].every((of) => of(spans).length > 0);
    const spans = await waitFor(() => complete(receiver.trace(traceId)) && receiver.trace(traceId), { timeoutMs: 20_000, message: 'the HTTP, Express, Nest, pg, PRODUCER and both CONSUMER spans exported' });

    const [server] = spans.filter((span) => span.kind === SPAN_KIND.SERVER);
    expect(server).toMatchObject({ spanId: headerSpan, resource: { 'service.name': 'registration', 'service.instance.id': 'registration' } });
    expect([server.attributes['http.target'], server.attributes['url.path']]).toContain('/users');
    // Express's route handler and Nest's controller call sit under the HTTP span; the INSERTs under the request.
    const byId = new Map(spans.map((span) => [span.spanId, span]));
    const descendsFromServer = (span: ReceivedSpan) => {
      for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) if (parent === server) return true;
      return false;
    };
    expect(express(spans).map((span) => [span.attributes['http.route'], descendsFromServer(span)])).toContainEqual(['/users', true]);
    expect(nest(spans).map((span) => [span.name, descendsFromServer(span)])).toContainEqual([expect.stringMatching(/Controller\./), true]);
    expect(queries(spans).filter(descendsFromServer).map((span) => span.resource['service.name'])).toContain('registration');
    const producers = spans.filter((span) => span.kind === SPAN_KIND.PRODUCER && span.attributes['messaging.destination.name'] === 'user-registered');
    expect(producers).toHaveLength(1);
    const [producer] = producers;
    // Published from the controller: under the HTTP span, through Nest's handler span.
    expect(descendsFromServer(producer)).toBe(true);
    expect(producer.resource['service.version']).toMatch(/^\d+\.\d+\.\d+/);

    const deliveries = consumers(spans);
    expect(deliveries.map((span) => span.attributes['messaging.consumer.group.name']).sort()).toEqual(['notification-email', 'notification-sms']);
    for (const consumer of deliveries) {
      expect(consumer.resource['service.name']).toBe('notification');
      // Child of the PRODUCER span across the broker hop, and linked to it.
      expect(consumer.parentSpanId).toBe(producer.spanId);
      expect(consumer.links).toContainEqual(expect.objectContaining({ traceId, spanId: producer.spanId }));
    }
  });
});

describe('span export on stop', () => {
  // Batches would leave only after 10 minutes: whatever arrives was flushed by the stop.
  const shop = tracedShop(600_000);

  it('flushes the spans still batched when a service stops (SIGTERM)', async () => {
    const [stack, receiver] = [shop.stack(), shop.receiver()];
    const response = await register(stack, 'Flush');
    expect(response.status).toBe(201);
    const traceId = response.headers.get('x-trace-id') ?? '';
    await waitFor(() => logLines(stack.service('notification'), 'sent to user').length === 2, { timeoutMs: 20_000, message: 'both notifications sent' });
    expect(receiver.trace(traceId)).toEqual([]);

    await stack.service('registration').stop();
    await stack.service('notification').stop();
    const kinds = receiver.trace(traceId).map((span) => span.kind);
    expect(kinds.filter((kind) => kind === SPAN_KIND.CONSUMER)).toHaveLength(2);
    expect(kinds).toEqual(expect.arrayContaining([SPAN_KIND.SERVER, SPAN_KIND.PRODUCER]));
  });
});
