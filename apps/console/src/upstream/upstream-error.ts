import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * What an upstream API answered, passed on to the browser: its 4xx as it is (a bad topic name stays a
 * 400 with the broker's reason), anything else as 502, and no answer at all as 503.
 */
export class UpstreamError extends HttpException {
  static answered(upstream: string, status: number, message: string): UpstreamError {
    return new UpstreamError(status >= 400 && status < 500 ? status : HttpStatus.BAD_GATEWAY, `${upstream}: ${message}`);
  }

  static unreachable(upstream: string, cause: unknown): UpstreamError {
    return new UpstreamError(HttpStatus.SERVICE_UNAVAILABLE, `${upstream} did not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
  }

  private constructor(status: number, message: string) {
    super({ statusCode: status, message }, status);
  }
}
