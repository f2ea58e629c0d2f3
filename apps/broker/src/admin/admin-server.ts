import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Broker } from '../broker';
import type { GroupConfig } from '../config/broker-config';
import type { StoredMessage } from '../messaging/message';
import type { TopicDefinition } from '../messaging/topic-registry';
import type { ClientSessions } from '../protocol/client-sessions';
import { BrokerError } from '../errors';
import type { AdminAccess } from './admin-access';
import { httpStatusOf } from './http-status';
import { messageHistory } from './message-history';
import { brokerStats } from './stats';
import { sendTestMessage } from './test-message';

type Handler = (params: string[], body: unknown, url: URL) => unknown;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY_BYTES = 1024 * 1024;
const MAX_LISTED = 1000;

/** The admin HTTP API (JSON) the console and the operators use: see apps/broker/README.md. */
export class AdminServer {
  private readonly server: Server;
  private readonly routes: { method: string; pattern: RegExp; handler: Handler; status?: number }[] = [];

  constructor(
    private readonly broker: Broker,
    sessions: ClientSessions,
    private readonly access: AdminAccess,
    private readonly logger: Logger,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.route('GET', '/health', () => ({ status: 'ok' }));
    this.route('GET', '/topics', () => broker.topics.list().map((t) => ({ name: t.name, type: t.type, queues: t.queues.length, messages: t.messageCount })));
    this.route('POST', '/topics', (_, body) => this.createTopic(body), 201);
    this.route('GET', '/topics/:name', ([name]) => this.topic(name));
    this.route('POST', '/topics/:name/messages', ([name], body) => sendTestMessage(broker, name, body), 201);
    this.route('DELETE', '/topics/:name', async ([name]) => {
      if (!(await broker.deleteTopic(name))) throw new HttpError(404, `topic ${name} does not exist`);
    }, 204);
    this.route('GET', '/groups', () => broker.groups.list().map((g) => ({ ...g.config, topics: [...g.subscriptions.keys()] })));
    this.route('PUT', '/groups/:name', ([name], body) => broker.configureGroup({ ...(body as Partial<GroupConfig>), name }));
    this.route('GET', '/groups/:name', ([name]) => this.group(name));
    this.route('GET', '/groups/:name/dlq', async ([name]) => (await broker.deadLetters.list(name, MAX_LISTED)).map(view));
    this.route('POST', '/groups/:name/dlq/replay', async ([name], body) => ({ replayed: await broker.deadLetters.replay(name, messageIdsOf(body)) }));
    this.route('DELETE', '/groups/:name', async ([name]) => {
      if (!(await broker.deleteGroup(name))) throw new HttpError(404, `consumer group ${name} does not exist`);
    }, 204);
    this.route('GET', '/messages', (_, __, url) => this.messagesByKey(url));
    this.route('GET', '/messages/:id', async ([id]) => view(await this.message(id)));
    this.route('GET', '/messages/:id/trail', async ([id]) => {
      const message = await this.message(id);
      return { message: view(message), ...messageHistory(broker, message) };
    });
    this.route('GET', '/transactions', () =>
      broker.transactions.staging.halves().map((m) => ({ transactionId: m.transactionId, messageId: m.messageId, topic: m.topic, checks: m.checks, ageMs: Date.now() - m.storedAt })),
    );
    this.route('GET', '/clients', () => sessions.list());
    this.route('GET', '/stats', () => brokerStats(broker));
    this.route('GET', '/storage', () => broker.storageReport());
    // Retention and checkpoints run on their own (every minute, every checkpointIntervalMs); these run them now.
    this.route('POST', '/storage/retention', () => broker.enforceRetention());
    this.route('POST', '/storage/checkpoint', async () => {
      await broker.checkpointing.now();
      return broker.storageReport().checkpoint;
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve(this.server.address() as AddressInfo));
    });
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private route(method: string, path: string, handler: Handler, status?: number): void {
    const pattern = new RegExp(`^${path.replace(/:[a-z]+/g, '([^/]+)')}$`);
    this.routes.push({ method, pattern, handler, status });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    try {
      const refused = this.access.check(req, url.pathname);
      if (refused) return send(res, refused.status, { error: refused.message }, refused.headers);
      if (url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': this.broker.metrics.registry.contentType });
        res.end(await this.broker.metrics.registry.metrics());
        return;
      }
      const matches = this.routes.filter((r) => r.pattern.test(url.pathname));
      if (matches.length === 0) throw new HttpError(404, `no route ${url.pathname}`);
      const route = matches.find((r) => r.method === req.method);
      if (!route) throw new HttpError(405, `${req.method} is not allowed on ${url.pathname}`);
      const params = (route.pattern.exec(url.pathname) as RegExpExecArray).slice(1).map(decodeParameter);
      const body = req.method === 'POST' || req.method === 'PUT' ? await readJson(req) : undefined;
      const result = await route.handler(params, body, url);
      send(res, route.status ?? 200, result);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : error instanceof BrokerError ? httpStatusOf(error.code) : 500;
      if (status === 500) this.logger.error({ err: error, url: req.url }, 'admin request failed');
      // The same back-off a gRPC client gets from TOO_MANY_REQUESTS, in HTTP's words.
      const headers: Record<string, string> = status === 429 ? { 'retry-after': '1' } : {};
      send(res, status, { error: error instanceof Error ? error.message : String(error) }, headers);
    }
  }

  private async createTopic(body: unknown) {
    const definition = body as TopicDefinition;
    if (!definition || typeof definition !== 'object') throw new HttpError(400, 'body must be a JSON object { name, queues?, type? }');
    const existing = this.broker.topics.get(definition.name);
    if (existing && definition.type && existing.type !== definition.type) {
      throw new HttpError(409, `topic ${definition.name} exists with type ${existing.type}`);
    }
    return this.topic((await this.broker.createTopic(definition)).name);
  }

  private topic(name: string) {
    const topic = this.broker.topics.get(name);
    if (!topic) throw new HttpError(404, `topic ${name} does not exist`);
    return {
      name: topic.name,
      type: topic.type,
      queues: topic.queues.map((q) => ({ id: q.id, minOffset: q.minOffset, maxOffset: q.maxOffset })),
    };
  }

  private group(name: string) {
    const group = this.broker.groups.get(name);
    if (!group) throw new HttpError(404, `consumer group ${name} does not exist`);
    const now = Date.now();
    return {
      name,
      config: group.config,
      topics: [...group.subscriptions.values()].map((s) => s.stats(now)),
      dlq: this.broker.deadLetters.count(name),
    };
  }

  private async message(id: string): Promise<StoredMessage> {
    const message = await this.broker.findMessage(id);
    if (!message) throw new HttpError(404, `message ${id} not found`);
    return message;
  }

  private async messagesByKey(url: URL) {
    const topicName = url.searchParams.get('topic');
    const key = url.searchParams.get('key');
    if (!topicName || !key) throw new HttpError(400, 'query parameters topic and key are required');
    if (!this.broker.topics.get(topicName)) throw new HttpError(404, `topic ${topicName} does not exist`);
    return (await this.broker.messagesByKey(topicName, key, MAX_LISTED)).map(view);
  }
}

function decodeParameter(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpError(400, `malformed percent-encoding in path segment ${JSON.stringify(text)}`);
  }
}

function messageIdsOf(body: unknown): string[] | undefined {
  const ids = (body as { messageIds?: unknown } | undefined)?.messageIds;
  if (ids === undefined) return undefined;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) throw new HttpError(400, 'body must be { "messageIds": ["…"] }, or empty to replay all');
  return ids;
}

function view(message: StoredMessage) {
  const { body, ...fields } = message;
  return { ...fields, bodySize: body.length, bodyText: body.toString('utf8'), bodyBase64: body.toString('base64') };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status === 200 ? 204 : status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}
