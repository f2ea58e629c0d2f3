import { Controller, Get, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HealthModule, ZodBody, type HealthProbe } from '../src';
import { startService, type StartedService } from './support';

const CreateUser = z.object({
  email: z.email(),
  name: z.string().min(1),
  marketing: z.boolean().default(false),
});
type CreateUser = z.output<typeof CreateUser>;

@Controller('users')
class UsersController {
  @Post()
  create(@ZodBody(CreateUser) body: CreateUser): CreateUser {
    return body;
  }

  @Get('fail')
  @HttpCode(200)
  fail(): never {
    throw new Error('boom');
  }
}

@Module({ imports: [HealthModule.forRoot()], controllers: [UsersController] })
class DemoModule {}

describe('bootstrapService', () => {
  let service: StartedService;
  let listeningDuringBeforeListen: boolean | undefined;

  beforeAll(async () => {
    service = await startService(DemoModule, 'demo', async (app) => {
      listeningDuringBeforeListen = app.getHttpServer().listening;
    });
  });

  afterAll(() => service?.app.close());

  const post = (path: string, body: unknown) =>
    fetch(`${service.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('prints the ready line with the real port, for scripts that wait on it', () => {
    expect(service.stdout).toEqual([`demo listening on ${service.baseUrl}\n`]);
  });

  it('runs beforeListen before the HTTP server listens, where transports get connected', () => {
    expect(listeningDuringBeforeListen).toBe(false);
  });

  it('answers /health with terminus status ok', async () => {
    const response = await fetch(`${service.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(await response.json()).toEqual({ status: 'ok', info: {}, error: {}, details: {} });
  });

  it('serves the OpenAPI document with the zod schema as the request body', async () => {
    const response = await fetch(`${service.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as { info: { title: string }; paths: Record<string, Record<string, any>> };
    expect(document.info.title).toBe('demo');
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health', '/users']));
    const schema = document.paths['/users'].post.requestBody.content['application/json'].schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['email', 'name'],
      properties: { email: { type: 'string', format: 'email' }, name: { type: 'string', minLength: 1 }, marketing: { type: 'boolean', default: false } },
    });
  });

  it('serves the Swagger UI at /docs', async () => {
    const response = await fetch(`${service.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('swagger');
  });

  it('accepts a valid body with 201 and hands the parsed value (defaults applied) to the handler', async () => {
    const response = await post('/users', { email: 'ada@example.com', name: 'Ada', unknown: 'stripped' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ email: 'ada@example.com', name: 'Ada', marketing: false });
  });

  it('rejects an invalid body with 400 and every issue', async () => {
    const response = await post('/users', { email: 'not-an-email', marketing: 'yes' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; issues: { path: string; code: string; message: string }[] };
    expect(body.message).toBe('Validation failed');
    expect(body.issues.map((issue) => issue.path).sort()).toEqual(['email', 'marketing', 'name']);
    expect(body.issues.find((issue) => issue.path === 'email')).toMatchObject({ code: 'invalid_format', message: 'Invalid email address' });
  });

  it('rejects malformed JSON with 400 before validation', async () => {
    const response = await fetch(`${service.baseUrl}/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(response.status).toBe(400);
  });

  it('rejects a missing body with 400 and a body-level issue', async () => {
    const response = await fetch(`${service.baseUrl}/users`, { method: 'POST' });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { issues: { path: string }[] };
    expect(body.issues.length).toBeGreaterThan(0);
  });

  it('logs JSON lines tagged with service and instance, including unhandled errors', async () => {
    expect((await fetch(`${service.baseUrl}/users/fail`)).status).toBe(500);
    const logs = service.logs.lines;
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).toMatchObject({ service: 'demo', instance: 'test-1' });
    expect(logs).toContainEqual(expect.objectContaining({ level: 'info', context: 'NestApplication', msg: 'Nest application successfully started' }));
    expect(logs).toContainEqual(expect.objectContaining({ level: 'error', context: 'ExceptionsHandler', err: expect.objectContaining({ message: 'boom' }) }));
  });
});

describe('HealthModule probes', () => {
  @Injectable()
  class BrokerProbe implements HealthProbe {
    check(): HealthIndicatorResult {
      return { broker: { status: 'down', reason: 'not connected' } };
    }
  }

  @Injectable()
  class CacheProbe implements HealthProbe {
    async check(): Promise<HealthIndicatorResult> {
      return { cache: { status: 'up' } };
    }
  }

  @Module({ imports: [HealthModule.forRoot({ probes: [CacheProbe, BrokerProbe] })] })
  class ProbedModule {}

  it('answers 503 naming the probe that is down, and reports the others', async () => {
    const service = await startService(ProbedModule, 'probed');
    try {
      const response = await fetch(`${service.baseUrl}/health`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        status: 'error',
        info: { cache: { status: 'up' } },
        error: { broker: { status: 'down', reason: 'not connected' } },
      });
    } finally {
      await service.app.close();
    }
  });
});

describe('bootstrapService start-up failures', () => {
  @Injectable()
  class Unresolvable {
    constructor(readonly missing: UsersController) {}
  }

  @Module({ providers: [Unresolvable] })
  class BrokenModule {}

  it('rejects with the DI error instead of aborting the process', async () => {
    await expect(startService(BrokenModule, 'broken')).rejects.toThrow(/can't resolve dependencies of the Unresolvable/);
  });
});
