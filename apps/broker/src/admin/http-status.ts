import { Code } from '../errors';

/** RocketMQ's codes are HTTP statuses × 100 plus a detail (40402 = 404, topic not found); too large is 413, other 4xx families without their own answer here are 400. */
export function httpStatusOf(code: Code): number {
  if (code === Code.MESSAGE_BODY_TOO_LARGE || code === Code.MESSAGE_PROPERTIES_TOO_LARGE) return 413;
  const family = Math.floor(code / 100);
  if ([401, 403, 404, 429].includes(family)) return family;
  return family >= 400 && family < 500 ? 400 : 500;
}
