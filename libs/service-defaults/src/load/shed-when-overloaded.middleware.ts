import { HttpStatus, Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RETRY_AFTER_SECONDS, serviceUnavailableBody, unavailableAnswer } from '../errors/unavailable.filter';
import { InFlightLimit } from './in-flight-limit';

/**
 * Answers a request that InFlightLimit would refuse before Nest routes it: 503 + Retry-After and the
 * JSON body UnavailableFilter gives, written directly. When a service is overloaded the refusals are
 * most of its answers, and Nest's route, pipes, exception and filter would cost more than the answer
 * (ADR 0021). Apply it to the routes whose handler runs in `limit`; the handler checks again.
 */
@Injectable()
export class ShedWhenOverloaded implements NestMiddleware {
  constructor(private readonly limit: InFlightLimit) {}

  use(_request: IncomingMessage, response: ServerResponse, next: () => void): void {
    const overloaded = this.limit.overloaded();
    if (overloaded === undefined) return next();
    answerOverloaded(response, overloaded);
  }
}

/** 503 + `Retry-After: 1` with the reason, as UnavailableFilter answers an OverloadedError. */
export function answerOverloaded(response: ServerResponse, reason: string): void {
  answer503(response, RETRY_AFTER_SECONDS.overloaded, serviceUnavailableBody(reason, RETRY_AFTER_SECONDS.overloaded));
}

const httpLogger = new Logger('HTTP');

/** The 503 + Retry-After UnavailableFilter gives an error unavailabilityOf recognised (`reason`), written directly. */
export function answerUnavailable(response: ServerResponse, error: unknown, reason: string): void {
  const { shed, retryAfterSeconds, body } = unavailableAnswer(error, reason);
  if (!shed) httpLogger.warn(`503 (retry after ${retryAfterSeconds} s): ${reason}`);
  answer503(response, retryAfterSeconds, body);
}

function answer503(response: ServerResponse, retryAfterSeconds: number, body: object): void {
  response
    .writeHead(HttpStatus.SERVICE_UNAVAILABLE, { 'content-type': 'application/json; charset=utf-8', 'retry-after': String(retryAfterSeconds) })
    .end(JSON.stringify(body));
}
