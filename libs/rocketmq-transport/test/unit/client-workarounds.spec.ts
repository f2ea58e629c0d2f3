import { EventEmitter } from 'node:events';
import type { BaseClient } from 'rocketmq-client-nodejs';
import { describe, expect, it } from 'vitest';
import { guardTelemetryStreams } from '../../src/client-workarounds';
import { describe as describeError } from '../../src/errors';

/** Replays what 1.0.8's TelemetrySession does on a broker restart: end, release (removeAllListeners), error. */
function releaseThenFail(stream: EventEmitter): void {
  stream.once('error', () => undefined);
  stream.removeAllListeners();
  stream.emit('error', new Error('14 UNAVAILABLE: read ECONNRESET'));
}

describe('guardTelemetryStreams', () => {
  it('keeps an error listener on telemetry streams after the client removes all listeners', () => {
    const fakeClient = { createTelemetryStream: () => new EventEmitter() } as unknown as BaseClient;
    const stream = guardTelemetryStreams(fakeClient).createTelemetryStream({} as never) as unknown as EventEmitter;
    expect(() => releaseThenFail(stream)).not.toThrow();
  });

  it('an unguarded stream would crash the process on that sequence', () => {
    expect(() => releaseThenFail(new EventEmitter())).toThrow('ECONNRESET');
  });
});

describe('describe', () => {
  it('reads the message of Nest RPC error objects, errors and their causes', () => {
    expect(describeError({ status: 'error', message: 'Internal server error' })).toBe('Internal server error');
    expect(describeError(new Error('outer', { cause: new Error('inner') }))).toBe('outer: inner');
    expect(describeError('plain')).toBe('plain');
  });
});
