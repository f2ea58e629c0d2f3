import { HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import { InFlightLimit, answerOverloaded } from '@rocketmq-shop/service-defaults';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestPurchase, SaleId } from './purchase-request.schema';
import { FlashSaleService } from './flash-sale.service';
import { SoldOutGate, soldOutAnswer } from './sold-out-gate';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

/**
 * The front door of a purchase (ADR 0011, ADR 0014, ADR 0021), before Nest routes it: a valid purchase
 * is answered here — 409 `sold-out` when this replica's gate refuses it, 503 + Retry-After when
 * admissions are shedding load (InFlightLimit's queueing budget), else admitted (202) — with one
 * validation and no Nest routing, pipes or response serialisation on the spike's path. An admission's
 * error is thrown to Nest's filters, so its answer (409 repeat buyer, 503 dependency down) is the same
 * as anywhere else. An invalid purchase goes on to the controller, which answers 400 with zod's issues.
 */
@Injectable()
export class FrontDoorMiddleware implements NestMiddleware {
  constructor(
    private readonly gate: SoldOutGate,
    private readonly limit: InFlightLimit,
    private readonly flashSales: FlashSaleService,
  ) {}

  /** Express has parsed the JSON body and the path's `:saleId` by now; neither is trusted before zod. */
  async use(request: IncomingMessage & { body?: unknown; params?: { saleId?: unknown } }, response: ServerResponse, next: () => void): Promise<void> {
    const saleId = SaleId.safeParse(request.params?.saleId);
    const body = RequestPurchase.safeParse(request.body);
    if (!saleId.success || !body.success) return next();
    if (this.gate.refuses(saleId.data, body.data.sku, body.data.quantity)) {
      return answer(response, HttpStatus.CONFLICT, soldOutAnswer(saleId.data, body.data.sku));
    }
    const overloaded = this.limit.overloaded();
    if (overloaded !== undefined) return answerOverloaded(response, overloaded);
    answer(response, HttpStatus.ACCEPTED, await this.flashSales.admit({ saleId: saleId.data, ...body.data }));
  }
}

function answer(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, JSON_TYPE).end(JSON.stringify(body));
}
