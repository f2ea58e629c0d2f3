import { type ServiceProcess, Stack, waitFor } from '@rocketmq-shop/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJson, requestJson } from './support/http-json';

// Observability across the broker hop: the trace started where registration publishes continues in
// notification's consumer spans (one trace id in both services' logs), and each service serves its
// messaging metrics at /metrics.

/** The JSON log lines of a service that mention `text`. */
function logLines(service: ServiceProcess, text: string): Record<string, unknown>[] {
  return service.output
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(text))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('observability', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ services: [{ app: 'registration' }, { app: 'notification', env: { NOTIFICATION_PROVIDER_LATENCY_MS: '0' } }] });
  });

  afterAll(async () => {
    await stack?.stop();
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
});
