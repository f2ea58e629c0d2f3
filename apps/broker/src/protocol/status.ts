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
