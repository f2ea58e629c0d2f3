import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { EventEmitter } from 'node:events';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bypassHttpInstrumentation, installTelemetry, serverSpan } from '../src';

const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

let server: Server | undefined;

afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server whose emit stands in for the HTTP instrumentation's wrapper of `Server.prototype.emit`, counting what passes through it. */
async function serverBehindInstrumentation(handle: (request: IncomingMessage, response: ServerResponse) => void, env: NodeJS.ProcessEnv) {
  const instrumented: string[] = [];
  server = createServer(handle);
  server.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'request') instrumented.push((args[0] as IncomingMessage).url ?? '');
    return EventEmitter.prototype.emit.call(server, event, ...args);
  }) as Server['emit'];
  bypassHttpInstrumentation(server, (request) => request.url === '/hot', env);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const get = async (path: string, headers: Record<string, string> = {}) => (await fetch(`http://127.0.0.1:${(server!.address() as AddressInfo).port}${path}`, { headers })).text();
  return { instrumented, get };
}

describe('bypassHttpInstrumentation', () => {
  it('hands the requests it takes straight to the listeners, and the rest through the instrumentation', async () => {
    const { instrumented, get } = await serverBehindInstrumentation((request, response) => response.end(request.url), {});
    expect([await get('/hot'), await get('/cold'), await get('/hot')]).toEqual(['/hot', '/cold', '/hot']);
    expect(instrumented).toEqual(['/cold']);
  });

  it('leaves every request to the instrumentation while spans are exported', async () => {
    const { instrumented, get } = await serverBehindInstrumentation((request, response) => response.end(request.url), { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    await get('/hot');
    await get('/cold');
    expect(instrumented).toEqual(['/hot', '/cold']);
  });
});

describe('serverSpan', () => {
  beforeAll(() => {
    installTelemetry({ name: 'server-span-test', instanceId: 'test-1' });
  });

  /** The trace and span ids active in work run through serverSpan, from a timer callback that lost the request's context. */
  const idsInSpan = (headers: Record<string, string> = {}) =>
    serverBehindInstrumentation((request, response) => {
      const inSpan = serverSpan(request, response, 'GET /hot');
      setTimeout(() => context.with(ROOT_CONTEXT, () => inSpan(() => response.end(JSON.stringify(trace.getActiveSpan()?.spanContext() ?? null)))), 1);
    }, {}).then(async ({ get }) => JSON.parse(await get('/hot', headers)) as { traceId: string; spanId: string } | null);

  it("continues the caller's trace from its traceparent, in a span of its own", async () => {
    const ids = await idsInSpan({ traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01` });
    expect(ids?.traceId).toBe(PARENT_TRACE);
    expect(ids?.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(ids?.spanId).not.toBe(PARENT_SPAN);
  });

  it('starts a new trace without a traceparent', async () => {
    const ids = await idsInSpan();
    expect(ids?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(ids?.traceId).not.toBe('0'.repeat(32));
  });

  it("uses the instrumentation's span when there is one", async () => {
    const outer = trace.getTracer('test').startSpan('instrumentation');
    let seen: string | undefined;
    await context.with(trace.setSpan(ROOT_CONTEXT, outer), () => {
      const inSpan = serverSpan({ headers: {} } as IncomingMessage, new EventEmitter() as ServerResponse, 'GET /hot');
      seen = inSpan(() => trace.getActiveSpan()?.spanContext().spanId);
    });
    expect(seen).toBe(outer.spanContext().spanId);
  });
});
