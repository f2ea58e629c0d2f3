import { HttpException, HttpStatus, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { InFlightLimit, answerOverloaded, answerUnavailable, bypassHttpInstrumentation, serverSpan, traceHeaders, unavailabilityOf } from '@rocketmq-shop/service-defaults';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { RequestPurchase, SaleId } from './purchase-request.schema';
import { FlashSaleService } from './flash-sale.service';
import { SoldOutGate, soldOutAnswer } from './sold-out-gate';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
/** `POST /flash-sales/:saleId/purchases`, as Express matches it: any case, an optional trailing slash, a query string. */
const PURCHASE_PATH = /^\/flash-sales\/([^/?]+)\/purchases\/?(?:\?.*)?$/i;
const SPAN_NAME = 'POST /flash-sales/:saleId/purchases';
/** Express's JSON body limit (100 KiB): a purchase is about 100 bytes. */
const MAX_BODY_BYTES = 100 * 1024;

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The front door of a purchase (ADR 0011, ADR 0021, ADR 0027): a listener on the HTTP server ahead of
 * Express, so the spike's requests pay for neither Express's router and body parser nor Nest's
 * middleware chain. A valid purchase is answered here — 409 `sold-out` when this replica's gate refuses
 * it, 503 + Retry-After when admissions shed, else admitted (202); an admission's error gets the answer
 * Nest's filters would give. Everything else goes on to Express untouched, and so does a purchase that
 * fails validation, with its parsed body (body-parser skips a request whose body was read), so the
 * controller answers 400 with zod's issues as on every other route. When nothing exports spans, a
 * purchase passes the HTTP instrumentation by and runs in a server span the front door opens (ADR 0032).
 */
@Injectable()
export class FrontDoor implements OnApplicationBootstrap {
  private readonly logger = new Logger(FrontDoor.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly gate: SoldOutGate,
    private readonly limit: InFlightLimit,
    private readonly flashSales: FlashSaleService,
  ) {}

  /** Nest has created the server (Express is its one request listener) but not started listening yet. */
  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter.getHttpServer() as Server;
    const listeners = server.listeners('request') as RequestListener[];
    if (listeners.length !== 1) throw new Error(`front door: expected Express as the one request listener, found ${listeners.length}`);
    const [express] = listeners;
    bypassHttpInstrumentation(server, isPurchase);
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const saleId = request.method === 'POST' ? PURCHASE_PATH.exec(request.url ?? '')?.[1] : undefined;
      if (saleId === undefined) return express(request, response);
      const inSpan = serverSpan(request, response, SPAN_NAME);
      if (!isJson(request) || Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return inSpan(() => express(request, response));
      readBody(request, (error, text) => inSpan(() => {
        if (error) return answer(response, HttpStatus.PAYLOAD_TOO_LARGE, { statusCode: 413, error: 'Payload Too Large', message: error.message });
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch (parseError) {
          return answer(response, HttpStatus.BAD_REQUEST, { statusCode: 400, error: 'Bad Request', message: `request body is not valid JSON: ${(parseError as Error).message}` });
        }
        void this.purchase(request, response, saleId, body, () => express(Object.assign(request, { body }), response));
      }));
    });
  }

  private async purchase(request: IncomingMessage, response: ServerResponse, rawSaleId: string, rawBody: unknown, toExpress: () => void): Promise<void> {
    const saleId = SaleId.safeParse(safeDecode(rawSaleId));
    const body = RequestPurchase.safeParse(rawBody);
    if (!saleId.success || !body.success) return toExpress();
    traceHeaders(request, response, () => undefined);
    if (this.gate.refuses(saleId.data, body.data.sku, body.data.quantity)) {
      return answer(response, HttpStatus.CONFLICT, soldOutAnswer(saleId.data, body.data.sku));
    }
    const overloaded = this.limit.overloaded();
    if (overloaded !== undefined) return answerOverloaded(response, overloaded);
    try {
      answer(response, HttpStatus.ACCEPTED, await this.flashSales.admit({ saleId: saleId.data, ...body.data }));
    } catch (error) {
      this.answerError(response, error);
    }
  }

  /** As UnavailableFilter and Nest's BaseExceptionFilter answer: 503 + Retry-After, the HttpException's own answer, else 500. */
  private answerError(response: ServerResponse, error: unknown): void {
    const unavailable = unavailabilityOf(error);
    if (unavailable !== undefined) return answerUnavailable(response, error, unavailable);
    if (error instanceof HttpException) {
      const body = error.getResponse();
      return answer(response, error.getStatus(), typeof body === 'string' ? { statusCode: error.getStatus(), message: body } : body);
    }
    this.logger.error(error);
    answer(response, HttpStatus.INTERNAL_SERVER_ERROR, { statusCode: 500, message: 'Internal server error' });
  }
}

function isPurchase(request: IncomingMessage): boolean {
  return request.method === 'POST' && PURCHASE_PATH.test(request.url ?? '');
}

function isJson(request: IncomingMessage): boolean {
  return /^application\/json\b/i.test(request.headers['content-type'] ?? '');
}

/**
 * The whole body as UTF-8, or an error once it passes MAX_BODY_BYTES (the rest is drained unread). A
 * client that goes away mid-body gets no answer: there is nobody to read it.
 */
function readBody(request: IncomingMessage, done: (error: Error | undefined, text: string) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  request.on('error', () => undefined);
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  request.on('end', () => {
    if (size > MAX_BODY_BYTES) return done(new Error(`request body is larger than ${MAX_BODY_BYTES} bytes`), '');
    done(undefined, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
}

function safeDecode(component: string): string | undefined {
  try {
    return decodeURIComponent(component);
  } catch {
    return undefined;
  }
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, JSON_TYPE).end(JSON.stringify(body));
}
