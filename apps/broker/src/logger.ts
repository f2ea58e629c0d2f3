import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The broker's JSON lines in the services' format (libs/service-defaults createPinoLogger): level names
 * instead of pino's numbers and ISO timestamps, so one log pipeline parses every process of the shop.
 */
export function createBrokerLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'broker' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
