import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { vi } from 'vitest';
import { bootstrapService, serviceConfig, type BootstrapOptions } from '../src';

/** Collects pino's JSON lines in memory, so tests can read them and the test output stays clean. */
export class LogSink extends Writable {
  readonly lines: Record<string, unknown>[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line) this.lines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  }
}

export interface StartedService {
  app: INestApplication;
  baseUrl: string;
  logs: LogSink;
  /** What the service printed on stdout, apart from logs. */
  stdout: string[];
}

/** Boots `module` on a free port through bootstrapService, as a service's main.ts would. */
export async function startService(
  module: BootstrapOptions['module'],
  name = 'demo',
  beforeListen?: BootstrapOptions['beforeListen'],
): Promise<StartedService> {
  const logs = new LogSink();
  const stdout: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  try {
    const config = serviceConfig(name, 0, { INSTANCE_ID: 'test-1' });
    const app = await bootstrapService({ config, module, beforeListen, logDestination: logs });
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { app, baseUrl: `http://127.0.0.1:${port}`, logs, stdout };
  } finally {
    write.mockRestore();
  }
}
