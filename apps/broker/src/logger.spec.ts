import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createBrokerLogger } from './logger';

describe('createBrokerLogger', () => {
  it('writes JSON lines with level names and ISO timestamps, like the services', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    createBrokerLogger('info', sink).warn({ topic: 'order-created' }, 'slow append');
    const line = JSON.parse(lines.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'warn', service: 'broker', topic: 'order-created', msg: 'slow append' });
    expect(new Date(line.time as string).toISOString()).toBe(line.time);
  });
});
