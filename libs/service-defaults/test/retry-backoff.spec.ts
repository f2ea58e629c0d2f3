import { describe, expect, it } from 'vitest';
import { handlerRetries } from '../src/messaging/retry-backoff';

describe('handlerRetries', () => {
  it('reads <NAME>_RETRY_BACKOFF_MS as the handlers backoff', () => {
    expect(handlerRetries('price-cache', { PRICE_CACHE_RETRY_BACKOFF_MS: '100, 500,1000' })).toEqual({ backoffMs: [100, 500, 1000] });
  });

  it('keeps the transport default when unset, and names the variable when malformed', () => {
    expect(handlerRetries('order', {})).toEqual({});
    expect(() => handlerRetries('order', { ORDER_RETRY_BACKOFF_MS: '1s' })).toThrow('ORDER_RETRY_BACKOFF_MS');
  });
});
