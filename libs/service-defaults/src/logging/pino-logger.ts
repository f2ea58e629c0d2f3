import type { LoggerService } from '@nestjs/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { ServiceConfig } from '../config/service-config';
import { activeTraceIds } from '../telemetry/telemetry';

type PinoLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/** One JSON object per line with `service` and `instance`, so logs of all replicas can be merged and filtered. */
export function createPinoLogger(
  config: Pick<ServiceConfig, 'name' | 'instanceId' | 'logLevel'>,
  destination?: DestinationStream,
): Logger {
  const options = {
    level: config.logLevel,
    base: { service: config.name, instance: config.instanceId },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names instead of pino's numbers: readable without pino-pretty.
    formatters: { level: (label: string) => ({ level: label }) },
    // The lines of one request or message, across services, share a trace id.
    mixin: activeTraceIds,
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Nest's LoggerService over pino. Nest passes the logger's context as the last string argument, and a
 * stack trace before it for errors; objects and Errors become structured fields instead of text.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: PinoLevel, message: unknown, params: unknown[]): void {
    const last = params.at(-1);
    const context = typeof last === 'string' ? last : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    for (const param of context ? params.slice(0, -1) : params) {
      if (param instanceof Error) fields.err = param;
      else if (typeof param === 'string') fields.stack = param;
      else if (param !== null && typeof param === 'object') Object.assign(fields, param);
    }
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}
