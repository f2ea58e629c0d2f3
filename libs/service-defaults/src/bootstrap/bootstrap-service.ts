import { type DynamicModule, type INestApplication, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import type { ServiceConfig } from '../config/service-config';
import { PinoLoggerService, createPinoLogger } from '../logging/pino-logger';
import { UnavailableFilter } from '../errors/unavailable.filter';
import { installTelemetry, type ServiceTelemetry } from '../telemetry/telemetry';
import { traceHeaders } from '../telemetry/trace-headers';
import { RejectNulPipe } from '../validation/reject-nul.pipe';
import { type AcceptorListenOptions, acceptorsFromEnv, listenWithAcceptors } from './acceptors';
import { setupApiDocs } from './api-docs';

/**
 * Connections waiting to be accepted, per listening socket (acceptors.ts). A spike opens hundreds at once; behind Node's default (511) the
 * kernel drops the excess SYNs and each client retries after its 1 s retransmission timeout — a
 * second of latency for requests the service would have answered in milliseconds. The kernel caps the
 * queue at net.core.somaxconn (4,096 on current kernels).
 */
const LISTEN_BACKLOG = 4096;

export interface BootstrapOptions {
  config: ServiceConfig;
  module: Type<unknown> | DynamicModule;
  /**
   * Runs before the app listens: connect microservice transports (app.connectMicroservice) here.
   * Awaited; its result is otherwise ignored, so `(app) => app.connectMicroservice(...)` fits.
   */
  beforeListen?: (app: INestApplication) => unknown;
  /** Where JSON logs go; stdout by default. */
  logDestination?: DestinationStream;
}

/**
 * Creates, documents and starts a service: OpenTelemetry (NodeSDK; trace ids in logs and response headers, OTLP export when configured, Prometheus `/metrics`), pino logs, shutdown hooks (SIGTERM closes the app, so
 * transports drain, then exits 0), 503 + Retry-After for unavailable dependencies (UnavailableFilter), NUL characters refused (RejectNulPipe), Swagger at /docs, connected microservices started, HTTP listening. Prints
 * `<name> listening on http://<host>:<port>` as a plain stdout line when ready; scripts wait for it.
 */
export async function bootstrapService(options: BootstrapOptions): Promise<INestApplication> {
  const { config } = options;
  // Before Nest builds anything: spans and instruments created later bind to the SDK.
  const telemetry = installTelemetry(config);
  const logger = new PinoLoggerService(createPinoLogger(config, options.logDestination));
  // abortOnError: false — a failing start-up rejects with its error instead of aborting the process.
  const app = await NestFactory.create(withTelemetryFlush(options.module, telemetry), { logger, abortOnError: false });
  exitZeroAfterClosing(app, logger);
  const express = app.getHttpAdapter().getInstance() as { disable(setting: string): void };
  // Which framework serves the API is nobody's business outside it.
  express.disable('x-powered-by');
  // No ETag on the JSON answers: no client revalidates them, and Express hashes every body to make one.
  express.disable('etag');
  app.use(traceHeaders);
  // A dependency down or a deadline missed is 503 + Retry-After, never 500; a NUL anywhere is 400.
  app.useGlobalFilters(new UnavailableFilter(app.getHttpAdapter()));
  app.useGlobalPipes(new RejectNulPipe());
  app.getHttpAdapter().get('/metrics', (request: IncomingMessage, response: ServerResponse) => telemetry.serveMetrics(request, response));
  await options.beforeListen?.(app);
  setupApiDocs(app, config.name);
  await app.startAllMicroservices();
  // Nest hands its first argument on to server.listen, which takes listen options; its typing just does not say so.
  const listen = app.listen.bind(app) as unknown as (options: AcceptorListenOptions) => Promise<unknown>;
  await listenWithAcceptors(app.getHttpServer(), listen, { port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, acceptorsFromEnv());
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${config.name} listening on http://${reachableHost(config.host)}:${port}\n`);
  return app;
}

/** A wildcard bind address is not something a client can dial; loopback always reaches it. */
function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}

/**
 * The service's module under a root whose shutdown hook flushes the spans still batched: Nest runs
 * the root's hooks last, after the transports drained (their last spans included), then exits.
 */
function withTelemetryFlush(module: Type<unknown> | DynamicModule, telemetry: ServiceTelemetry): DynamicModule {
  @Module({})
  class ServiceRoot {}
  return { module: ServiceRoot, imports: [module], providers: [{ provide: 'TelemetryFlush', useValue: { onApplicationShutdown: () => telemetry.shutdown() } }] };
}

/**
 * SIGTERM or SIGINT closes the app (Nest's shutdown hooks: transports drain, spans are flushed) and
 * then exits 0, so `docker compose stop` or a pod's termination reads as success. Nest's own
 * enableShutdownHooks re-raises the signal after closing instead (exit 143). A second signal during
 * the drain ends the process at once (the handlers are registered once).
 */
function exitZeroAfterClosing(app: INestApplication, logger: PinoLoggerService): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error(error, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

