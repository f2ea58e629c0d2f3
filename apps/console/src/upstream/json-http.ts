import { reasonOf } from '../api-contract/error-reason';
import { UpstreamError } from './upstream-error';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const TIMEOUT_MS = 5_000;

/**
 * One JSON call to an upstream API, bounded in time. Its error body (`{ error }` from the broker,
 * `{ message }` from Nest services) becomes the UpstreamError's message.
 */
export async function requestJson<T>(upstream: string, url: string, method: Method, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw UpstreamError.unreachable(upstream, error);
  }
  const text = await response.text();
  const parsed: unknown = text && response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text || undefined;
  if (!response.ok) throw UpstreamError.answered(upstream, response.status, reasonOf(parsed) ?? `HTTP ${response.status}`);
  return parsed as T;
}
