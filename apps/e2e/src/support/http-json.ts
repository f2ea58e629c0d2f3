export interface JsonResponse<T> {
  status: number;
  body: T;
  /** The Retry-After header (503s carry one), if any. */
  retryAfter: string | null;
}

/** One JSON request against a service of the stack; the body is parsed when the answer is JSON. */
export async function requestJson<T = unknown>(method: string, url: string, body?: unknown): Promise<JsonResponse<T>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('json') && text !== '';
  return { status: response.status, body: (isJson ? JSON.parse(text) : text) as T, retryAfter: response.headers.get('retry-after') };
}

/** GET that must answer 200; anything else fails the test with the answer in the message. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await requestJson<T>('GET', url);
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}
