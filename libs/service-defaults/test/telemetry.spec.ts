import { Controller, Get, Logger, Module } from '@nestjs/common';
import { metrics, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startService, type StartedService } from './support';

@Controller('work')
class WorkController {
  private readonly logger = new Logger(WorkController.name);
  private readonly done = metrics.getMeter('test').createCounter('work_done', { description: 'Work done' });

  @Get()
  work(): { traceId: string } {
    return trace.getTracer('test').startActiveSpan('work', (span) => {
      this.logger.log('working');
      this.done.add(1, { kind: 'demo' });
      span.end();
      return { traceId: span.spanContext().traceId };
    });
  }
}

@Module({ controllers: [WorkController] })
class WorkModule {}

describe('service telemetry', () => {
  let service: StartedService;

  beforeAll(async () => {
    service = await startService(WorkModule, 'telemetry');
  });

  afterAll(() => service?.app.close());

  it('puts the active trace id in every log line written inside a span', async () => {
    const { traceId } = (await (await fetch(`${service.baseUrl}/work`)).json()) as { traceId: string };
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(traceId).not.toBe('0'.repeat(32));
    const line = service.logs.lines.find((l) => l.msg === 'working');
    expect(line).toMatchObject({ trace_id: traceId, service: 'telemetry' });
  });

  it('serves OpenTelemetry metrics in Prometheus text at /metrics', async () => {
    await fetch(`${service.baseUrl}/work`);
    const response = await fetch(`${service.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^work_done_total\{kind="demo",otel_scope_name="test"[^}]*\} [2-9]/m);
  });
});
