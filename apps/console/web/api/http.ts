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
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new ApiError(response.status, reasonOf(parsed) ?? `HTTP ${response.status}`);
  return parsed as T;
}

/** Nest's `{ message }`, with the validation issues spelled out when there are some. */
function reasonOf(body: unknown): string | undefined {
  const { message, issues } = (body ?? {}) as { message?: unknown; issues?: { path: string; message: string }[] };
  if (Array.isArray(issues) && issues.length > 0) return issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  return typeof message === 'string' ? message : undefined;
}

export const path = (...segments: string[]): string => segments.map(encodeURIComponent).join('/');
