import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { InFlightLimit, ShedWhenOverloaded } from '../src';

/** What the middleware wrote, and whether it let the request through. */
function call(middleware: ShedWhenOverloaded): { passed: boolean; status?: number; headers?: Record<string, string>; body?: unknown } {
  const seen: { passed: boolean; status?: number; headers?: Record<string, string>; body?: unknown } = { passed: false };
  const response = {
    writeHead(status: number, headers: Record<string, string>) {
      Object.assign(seen, { status, headers });
      return response;
    },
    end(body: string) {
      seen.body = JSON.parse(body);
    },
  };
  middleware.use({} as IncomingMessage, response as unknown as ServerResponse, () => (seen.passed = true));
  return seen;
}

describe('ShedWhenOverloaded', () => {
  it('lets a request through while the limit has room', () => {
    expect(call(new ShedWhenOverloaded(new InFlightLimit('things', 1)))).toEqual({ passed: true });
  });

  it("answers 503 + Retry-After with UnavailableFilter's body when the limit would refuse", async () => {
    const limit = new InFlightLimit('things', 1);
    let release: () => void = () => undefined;
    const held = limit.run(() => new Promise<void>((resolve) => (release = resolve)));

    expect(call(new ShedWhenOverloaded(limit))).toEqual({
      passed: false,
      status: 503,
      headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '1' },
      body: { statusCode: 503, error: 'Service Unavailable', message: '1 things in flight: try again shortly', retryAfterSeconds: 1 },
    });
    release();
    await held;
  });
});
