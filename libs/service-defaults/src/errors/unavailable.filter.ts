import { type ArgumentsHost, Catch, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { OverloadedError, unavailabilityOf } from './unavailability';

/** Seconds a client should wait before retrying: load shedding clears fast, a restarting dependency takes longer. */
export const RETRY_AFTER_SECONDS = { overloaded: 1, unavailable: 2 } as const;

/** The JSON body of every 503, here and wherever a service answers one itself. */
export function serviceUnavailableBody(message: string, retryAfterSeconds: number) {
  return { statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message, retryAfterSeconds };
}

/** How a service answers an error unavailabilityOf recognised (`reason`): shedding clears sooner than a dependency restarts. */
export function unavailableAnswer(exception: unknown, reason: string) {
  const shed = exception instanceof OverloadedError;
  const retryAfterSeconds = shed ? RETRY_AFTER_SECONDS.overloaded : RETRY_AFTER_SECONDS.unavailable;
  return { shed, retryAfterSeconds, body: serviceUnavailableBody(reason, retryAfterSeconds) };
}

/**
 * Every HTTP error of a service goes through here. A dependency that is down (Postgres, the broker)
 * or a missed deadline is the client's cue to try again later, so it is 503 with `Retry-After` and a
 * JSON body instead of a 500; every other error keeps Nest's answer (HttpExceptions as thrown, 500
 * for bugs). RPC contexts (message handlers) are left to the transport's own retry and DLQ policy.
 */
@Catch()
export class UnavailableFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('HTTP');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(exception, host);
    // Through the HTTP adapter bootstrapService constructs this filter with: the same on Express and Fastify.
    const setHeader = (name: string, value: string) => this.applicationRef?.setHeader(host.switchToHttp().getResponse(), name, value);
    const reason = unavailabilityOf(exception);
    if (reason !== undefined) {
      const { shed, retryAfterSeconds, body } = unavailableAnswer(exception, reason);
      // Shedding is the service working as designed, thousands of times a second in a spike: a log line each would cost more than the answer.
      if (!shed) this.logger.warn(`503 (retry after ${retryAfterSeconds} s): ${reason}`);
      setHeader('Retry-After', String(retryAfterSeconds));
      return super.catch(new HttpException(body, HttpStatus.SERVICE_UNAVAILABLE), host);
    }
    if (exception instanceof HttpException && exception.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) {
      setHeader('Retry-After', String(RETRY_AFTER_SECONDS.unavailable));
    }
    return super.catch(exception, host);
  }
}
