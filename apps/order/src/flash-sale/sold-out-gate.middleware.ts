import { HttpStatus, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestPurchase, SaleId } from './purchase-request.schema';
import { SoldOutGate } from './sold-out-gate';

/**
 * The sold-out gate as the first thing a purchase meets (ADR 0011, ADR 0014): a purchase of more than
 * this replica knows is left is answered 409 here, before Nest routes it — no pipes, no exception, no
 * Postgres, no broker. After a sell-out that is nearly every request of the spike, so its cost is the
 * spike's cost. The request is validated as the controller would first, so a bad one still gets its
 * 400 there; anything the gate lets through goes on.
 */
@Injectable()
export class SoldOutGateMiddleware implements NestMiddleware {
  constructor(private readonly gate: SoldOutGate) {}

  /** Express has parsed the JSON body and the path's `:saleId` by now; neither is trusted before zod. */
  use(request: IncomingMessage & { body?: unknown; params?: { saleId?: unknown } }, response: ServerResponse, next: () => void): void {
    const saleId = SaleId.safeParse(request.params?.saleId);
    const body = RequestPurchase.safeParse(request.body);
    if (!saleId.success || !body.success || !this.gate.refuses(saleId.data, body.data.sku, body.data.quantity)) return next();
    response.writeHead(HttpStatus.CONFLICT, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(soldOutAnswer(saleId.data, body.data.sku)));
  }
}

/** 409 with a machine-readable reason: load scripts and clients tell a sold-out sale from a repeat buyer. */
function soldOutAnswer(saleId: string, sku: string) {
  return { statusCode: HttpStatus.CONFLICT, error: 'Conflict', reason: 'sold-out' as const, message: `sale ${saleId}: ${sku} is sold out` };
}
