import { describe, expect, it } from 'vitest';
import { Code } from '../errors';
import { httpStatusOf } from './http-status';

describe('httpStatusOf', () => {
  it.each([
    [Code.BAD_REQUEST, 400],
    [Code.ILLEGAL_TOPIC, 400],
    [Code.INVALID_RECEIPT_HANDLE, 400],
    [Code.UNAUTHORIZED, 401],
    [Code.FORBIDDEN, 403],
    [Code.NOT_FOUND, 404],
    [Code.MESSAGE_NOT_FOUND, 404],
    [Code.TOPIC_NOT_FOUND, 404],
    [Code.MESSAGE_BODY_TOO_LARGE, 413],
    [Code.MESSAGE_BODY_EMPTY, 400],
    [Code.MESSAGE_PROPERTIES_TOO_LARGE, 413],
    [Code.TOO_MANY_REQUESTS, 429],
    [Code.INTERNAL_SERVER_ERROR, 500],
    [Code.UNSUPPORTED, 500],
  ])('answers RocketMQ code %i with HTTP %i', (code, status) => {
    expect(httpStatusOf(code)).toBe(status);
  });
});
