import { BrokerError, Code } from '../errors';

/** The Status every response carries: the RocketMQ code the client maps to its exceptions. */
export interface Status {
  code: Code;
  message: string;
}

export const OK: Status = { code: Code.OK, message: 'OK' };

export function statusOf(error: unknown): Status {
  const failure = BrokerError.from(error);
  return { code: failure.code, message: failure.message };
}

/** One status for a batch: the shared one, or MULTIPLE_RESULTS when entries differ (Java proxy rule). */
export function combinedStatus(statuses: Status[]): Status {
  const first = statuses[0];
  return statuses.every((s) => s.code === first.code) ? first : { code: Code.MULTIPLE_RESULTS, message: 'entries have different results' };
}
