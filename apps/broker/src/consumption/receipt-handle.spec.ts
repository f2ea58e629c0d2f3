import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BrokerError, Code } from '../errors';
import { ReceiptHandles } from './receipt-handle';

const handles = new ReceiptHandles(randomBytes(32));
const delivery = { queueId: 3, offset: 12_345, version: 1_764_000_000_000 };

function rejection(decode: () => unknown): Code | undefined {
  try {
    decode();
    return undefined;
  } catch (error) {
    return error instanceof BrokerError ? error.code : undefined;
  }
}

describe('ReceiptHandles', () => {
  it('decodes what it encoded for the same group and topic', () => {
    const text = handles.encode('g', 't', delivery);
    expect(handles.decode('g', 't', text)).toEqual(delivery);
  });

  it('decodes a handle issued before a restart (the same secret, nothing remembered)', () => {
    const secret = randomBytes(32);
    const text = new ReceiptHandles(secret).encode('g', 't', delivery);
    expect(new ReceiptHandles(secret).decode('g', 't', text)).toEqual(delivery);
  });

  const issued = handles.encode('g', 't', delivery);
  const [queue, offset, version, mac] = issued.split('.');
  it.each([
    ['another group', () => handles.decode('other', 't', issued)],
    ['another topic', () => handles.decode('g', 'other', issued)],
    ['another broker (secret)', () => new ReceiptHandles(randomBytes(32)).decode('g', 't', issued)],
    ['a changed offset', () => handles.decode('g', 't', [queue, Number(offset) + 1, version, mac].join('.'))],
    ['a changed version', () => handles.decode('g', 't', [queue, offset, Number(version) + 1, mac].join('.'))],
    ['a flipped MAC character', () => handles.decode('g', 't', issued.slice(0, -1) + (issued.endsWith('A') ? 'B' : 'A'))],
    ['the format of earlier versions', () => handles.decode('g', 't', `3.12345.1.${Buffer.from('t').toString('base64url')}`)],
    ['an empty handle', () => handles.decode('g', 't', '')],
    ['a negative offset', () => handles.decode('g', 't', `3.-1.1.${mac}`)],
    ['an unsafe integer', () => handles.decode('g', 't', `3.1234567890123456.1.${mac}`)],
    ['a megabyte of text', () => handles.decode('g', 't', 'x'.repeat(1 << 20))],
    ['not a string', () => handles.decode('g', 't', 42 as unknown as string)],
  ])('refuses a handle from %s with INVALID_RECEIPT_HANDLE', (_, decode) => {
    expect(rejection(decode)).toBe(Code.INVALID_RECEIPT_HANDLE);
  });
});
