import { describe, expect, it } from 'vitest';
import { PinoLoggerService, createPinoLogger } from '../src';
import { LogSink } from './support';

function logger(level: 'info' | 'trace' = 'info') {
  const sink = new LogSink();
  const service = new PinoLoggerService(createPinoLogger({ name: 'order', instanceId: 'order-1', logLevel: level }, sink));
  return { service, lines: sink.lines };
}

describe('PinoLoggerService', () => {
  it('writes one JSON object per call with service, instance, level name, time and Nest context', () => {
    const { service, lines } = logger();
    service.log('order placed', 'OrdersController');
    expect(lines).toEqual([
      { level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), service: 'order', instance: 'order-1', context: 'OrdersController', msg: 'order placed' },
    ]);
  });

  it('keeps the stack trace Nest passes before the context', () => {
    const { service, lines } = logger();
    service.error('publish failed', 'Error: x\n    at y', 'Publisher');
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'publish failed', stack: 'Error: x\n    at y', context: 'Publisher' });
  });

  it('turns objects and errors into structured fields', () => {
    const { service, lines } = logger();
    service.warn({ orderId: 'o-1', attempt: 2 }, 'Retry');
    service.error(new Error('db down'));
    expect(lines[0]).toMatchObject({ level: 'warn', orderId: 'o-1', attempt: 2, context: 'Retry' });
    expect(lines[1]).toMatchObject({ level: 'error', msg: 'db down', err: { type: 'Error', message: 'db down' } });
  });

  it('filters by LOG_LEVEL and maps Nest verbose to trace', () => {
    const quiet = logger('info');
    quiet.service.debug('hidden');
    quiet.service.verbose('hidden');
    expect(quiet.lines).toEqual([]);
    const chatty = logger('trace');
    chatty.service.verbose('shown');
    expect(chatty.lines[0]).toMatchObject({ level: 'trace', msg: 'shown' });
  });
});
