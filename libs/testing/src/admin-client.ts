export interface AdminResponse<T> {
  status: number;
  body: T;
  text: string;
}

/** Shapes of the admin API answers documented in apps/broker/README.md. */
export interface GroupTopicState {
  topic: string;
  backlog: number;
  inflight: number;
  retrying: number;
  acked: number;
}

export interface GroupState {
  name: string;
  config: Record<string, unknown>;
  topics: GroupTopicState[];
  dlq: number;
}

export interface HalfMessage {
  transactionId: string;
  messageId: string;
  topic: string;
  checks: number;
  ageMs: number;
}

/** Where the admin API is, and the HTTP Basic credentials it wants when the broker has auth on. */
export interface AdminEndpoint {
  readonly adminUrl: string;
  readonly adminCredentials?: { accessKey: string; secretKey: string };
}

/** The broker's admin HTTP API; the base URL is read on every call because a restart may move it. */
export class AdminClient {
  constructor(private readonly broker: AdminEndpoint) {}

  get<T = unknown>(path: string): Promise<AdminResponse<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body: unknown): Promise<AdminResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  put<T = unknown>(path: string, body: unknown): Promise<AdminResponse<T>> {
    return this.request<T>('PUT', path, body);
  }

  delete(path: string): Promise<AdminResponse<unknown>> {
    return this.request('DELETE', path);
  }

  async group(name: string): Promise<GroupState> {
    const response = await this.get<GroupState>(`/groups/${encodeURIComponent(name)}`);
    if (response.status !== 200) throw new Error(`GET /groups/${name} answered ${response.status}: ${response.text}`);
    return response.body;
  }

  /** The group's counts for one topic (zeros while the group has not touched the topic). */
  async groupTopic(group: string, topic: string): Promise<GroupTopicState> {
    const state = await this.group(group);
    return state.topics.find((entry) => entry.topic === topic) ?? { topic, backlog: 0, inflight: 0, retrying: 0, acked: 0 };
  }

  async halfMessages(): Promise<HalfMessage[]> {
    const response = await this.get<HalfMessage[]>('/transactions');
    if (response.status !== 200) throw new Error(`GET /transactions answered ${response.status}: ${response.text}`);
    return response.body;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<AdminResponse<T>> {
    const credentials = this.broker.adminCredentials;
    const headers: Record<string, string> = {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(credentials ? { authorization: `Basic ${Buffer.from(`${credentials.accessKey}:${credentials.secretKey}`).toString('base64')}` } : {}),
    };
    const response = await fetch(`${this.broker.adminUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = text;
    if (response.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, text };
  }
}
