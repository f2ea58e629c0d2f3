import { reasonOf } from '../../src/api-contract/error-reason';

/** An answer of the console's API that was not 2xx, with the reason the server gave. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** One call to the console's own JSON API (same origin); every page's api/ module goes through here. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`api/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? parseOrText(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, reasonOf(parsed) ?? `HTTP ${response.status}`);
  return parsed as T;
}

export const path = (...segments: string[]): string => segments.map(encodeURIComponent).join('/');

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
