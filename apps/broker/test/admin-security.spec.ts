import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useBroker } from './support/harness';
import { TestTopology, uniqueName } from './support/names';

const CREDENTIALS = { accessKey: 'ops-ak', secretKey: 'ops-sk' };
const topology = new TestTopology();
const topic = topology.topic('NORMAL', 'admin-secured');
const harness = useBroker(topology.toConfig({ auth: { credentials: [CREDENTIALS] } }));

interface Sent {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

const basic = (accessKey: string, secretKey: string) => `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString('base64')}`;
const AUTHORIZED = { authorization: basic(CREDENTIALS.accessKey, CREDENTIALS.secretKey) };
const JSON_BODY = { 'content-type': 'application/json' };

/** node:http rather than fetch: fetch will not send a chosen Host header. */
function call(path: string, { method = 'GET', headers = {}, body }: Sent = {}): Promise<{ status: number; text: string }> {
  const url = new URL(harness.adminUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const ROUTES: [string, string, string?][] = [
  ['GET', '/topics'],
  ['POST', '/topics', JSON.stringify({ name: 'never-created', type: 'NORMAL' })],
  ['DELETE', `/topics/${topic}`],
  ['GET', `/topics/${topic}`],
  ['GET', '/groups'],
  ['PUT', '/groups/never-configured', JSON.stringify({ maxAttempts: 2 })],
  ['GET', '/groups/some-group/dlq'],
  ['POST', '/groups/some-group/dlq/replay', '{}'],
  ['DELETE', '/groups/some-group'],
  ['GET', '/messages/0A0000000000000000000000'],
  ['GET', `/messages?topic=${topic}&key=k`],
  ['GET', '/messages/0A0000000000000000000000/trail'],
  ['POST', `/topics/${topic}/messages`, JSON.stringify({ body: 'never sent' })],
  ['GET', '/stats'],
  ['GET', '/transactions'],
  ['GET', '/clients'],
  ['GET', '/storage'],
  ['POST', '/storage/retention', '{}'],
  ['POST', '/storage/checkpoint', '{}'],
  ['GET', '/metrics'],
];

describe('admin API access control (auth.credentials configured)', () => {
  it.each(ROUTES)('%s %s: 401 without credentials, with a wrong secret or an unknown key', async (method, path, body) => {
    const headers = body === undefined ? {} : JSON_BODY;
    for (const authorization of [undefined, basic(CREDENTIALS.accessKey, 'wrong'), basic('nobody', CREDENTIALS.secretKey), 'Bearer ops-sk']) {
      const answer = await call(path, { method, body, headers: authorization ? { ...headers, authorization } : headers });
      expect(answer.status, `${authorization ?? 'no credentials'}`).toBe(401);
    }
  });

  it('nothing a refused request asked for happened: the topic and the group still exist or never appeared', async () => {
    const topics = await call('/topics', { headers: AUTHORIZED });
    expect(topics.status).toBe(200);
    expect(topics.text).toContain(topic);
    expect(topics.text).not.toContain('never-created');
    expect((await call('/groups/never-configured', { headers: AUTHORIZED })).status).toBe(404);
  });

  it('answers GET /health without credentials, and every route with them', async () => {
    expect((await call('/health')).status).toBe(200);
    expect((await call('/topics', { headers: AUTHORIZED })).status).toBe(200);
    expect((await call('/metrics', { headers: AUTHORIZED })).status).toBe(200);
  });

  it('refuses a cross-site text/plain or form POST (415) and creates nothing', async () => {
    const name = uniqueName('cross-site');
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', undefined]) {
      const headers: Record<string, string> = { ...AUTHORIZED, ...(contentType ? { 'content-type': contentType } : {}) };
      expect((await call('/topics', { method: 'POST', headers, body: JSON.stringify({ name, type: 'NORMAL' }) })).status, contentType).toBe(415);
    }
    expect((await call(`/topics/${name}`, { headers: AUTHORIZED })).status).toBe(404);
  });

  it.each([
    ['a foreign Host (DNS rebinding)', { host: 'evil.example' }],
    ['a foreign Host with a port', { host: 'evil.example:8082' }],
    ['a cross-site Origin', { origin: 'http://evil.example' }],
    ['an unparsable Origin', { origin: 'null' }],
  ])('refuses %s with 403', async (_, headers) => {
    expect((await call('/topics', { headers: { ...AUTHORIZED, ...headers } })).status).toBe(403);
  });

  it('validates what it is given: a garbage retry policy is 400 and never saved, a malformed path escape is 400', async () => {
    const group = uniqueName('garbage-policy');
    const put = await call(`/groups/${group}`, { method: 'PUT', headers: { ...AUTHORIZED, ...JSON_BODY }, body: JSON.stringify({ retryPolicy: 'garbage' }) });
    expect(put.status).toBe(400);
    expect(put.text).toContain('retryPolicy');
    expect((await call(`/groups/${group}`, { headers: AUTHORIZED })).status).toBe(404);
    expect((await call('/messages/%E0%A4%A', { headers: AUTHORIZED })).status).toBe(400);
    expect((await call('/topics', { method: 'POST', headers: { ...AUTHORIZED, ...JSON_BODY }, body: '{not json' })).status).toBe(400);
  });
});
