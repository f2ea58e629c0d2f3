import { BadRequestException, HttpException, HttpStatus, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { decideFailure } from '../../../src/consumer/error-policy';
import type { RocketMQMessage } from '../../../src/grpc/messaging-codec';
import { RocketMQNonRetriableError } from '../../../src/errors';

const deliveredTwice = { deliveryAttempt: 2 } as RocketMQMessage;
const budget = { maxAttempts: 3 };

describe('decideFailure', () => {
  it.each([
    ['a plain error', new Error('db down'), 'retry'],
    ['RocketMQNonRetriableError', new RocketMQNonRetriableError('bad coupon'), 'dead-letter'],
    ['a 400', new BadRequestException(['sku must be a string']), 'dead-letter'],
    ['a 404', new NotFoundException(), 'dead-letter'],
    ['a 408', new HttpException('slow', HttpStatus.REQUEST_TIMEOUT), 'retry'],
    ['a 429', new HttpException('throttled', HttpStatus.TOO_MANY_REQUESTS), 'retry'],
    ['a 503', new HttpException('unavailable', HttpStatus.SERVICE_UNAVAILABLE), 'retry'],
  ])('by default, %s → %s', (_case, error, action) => {
    expect(decideFailure(budget, error, deliveredTwice).action).toBe(action);
  });

  it('dead-letters a retry once the attempts are spent, saying how many', () => {
    expect(decideFailure(budget, new Error('db down'), { deliveryAttempt: 3 } as RocketMQMessage)).toEqual({ action: 'dead-letter', reason: 'failed 3 times, last: db down' });
  });

  it('follows a fixed policy, and a function policy, falling back to the default when it answers undefined', () => {
    expect(decideFailure({ ...budget, errorPolicy: 'discard' }, new Error('stale'), deliveredTwice).action).toBe('discard');
    const policy = (error: unknown) => (error instanceof TypeError ? 'dead-letter' : undefined);
    expect(decideFailure({ ...budget, errorPolicy: policy }, new TypeError('x is undefined'), deliveredTwice)).toEqual({ action: 'dead-letter', reason: 'not retriable: TypeError: x is undefined' });
    expect(decideFailure({ ...budget, errorPolicy: policy }, new BadRequestException(), deliveredTwice).action).toBe('dead-letter');
    expect(decideFailure({ ...budget, errorPolicy: policy }, new Error('db down'), deliveredTwice).action).toBe('retry');
  });
});
