import type { FunctionEvent } from './function-event';

/** A function that did not take a batch: it answered non-2xx, did not answer in time, or could not be reached. */
export class FunctionCallError extends Error {
  override readonly name = 'FunctionCallError';
}

/** Ends of an answer body kept in the error (and so in the dead-letter reason): enough to diagnose. */
const ANSWER_EXCERPT_CHARS = 300;

/** POSTs one batch as a JSON array; resolves on 2xx, rejects with FunctionCallError otherwise. */
export async function callFunction(url: string, events: FunctionEvent[], timeoutMs: number, trigger: string): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-rocketmq-trigger': trigger },
      body: JSON.stringify(events),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    throw new FunctionCallError(timedOut ? `${url} did not answer within ${timeoutMs} ms` : `${url} unreachable: ${(error as Error).cause ?? (error as Error).message}`, { cause: error });
  }
  const answer = await response.text().catch(() => '');
  if (!response.ok) throw new FunctionCallError(`${url} answered ${response.status}${answer ? `: ${answer.slice(0, ANSWER_EXCERPT_CHARS)}` : ''}`);
}
