import { HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import { InFlightLimit, RETRY_AFTER_SECONDS, serviceUnavailableBody } from '@rocketmq-shop/service-defaults';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestPurchase, SaleId } from './purchase-request.schema';
import { SoldOutGate, soldOutAnswer } from './sold-out-gate';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/**
 * The first thing a purchase meets (ADR 0011, ADR 0014), before Nest routes it — no pipes, no
 * exception, no filter, no Postgres, no broker — for the two answers that make up most of a spike:
 * 409 `sold-out` when this replica's gate knows the stock is gone, and 503 + Retry-After when
 * admissions are shedding load (InFlightLimit's queueing budget). The gate's answer needs a valid
 * purchase (validated as the controller would, so a bad one still gets its 400 there); anything let
 * through goes on to the controller, which checks the limit again.
 */
@Injectable()
export class FrontDoorMiddleware implements NestMiddleware {
  constructor(
    private readonly gate: SoldOutGate,
    private readonly limit: InFlightLimit,
  ) {}

  /** Express has parsed the JSON body and the path's `:saleId` by now; neither is trusted before zod. */
  use(request: IncomingMessage & { body?: unknown; params?: { saleId?: unknown } }, response: ServerResponse, next: () => void): void {
    const saleId = SaleId.safeParse(request.params?.saleId);
    const body = RequestPurchase.safeParse(request.body);
    if (!saleId.success || !body.success) return next();
    if (this.gate.refuses(saleId.data, body.data.sku, body.data.quantity)) {
      return void response.writeHead(HttpStatus.CONFLICT, JSON_TYPE).end(JSON.stringify(soldOutAnswer(saleId.data, body.data.sku)));
    }
    const overloaded = this.limit.overloaded();
    if (overloaded === undefined) return next();
    const retryAfter = RETRY_AFTER_SECONDS.overloaded;
    response.writeHead(HttpStatus.SERVICE_UNAVAILABLE, { ...JSON_TYPE, 'retry-after': String(retryAfter) }).end(JSON.stringify(serviceUnavailableBody(overloaded, retryAfter)));
  }
}
