import { ConflictException, Injectable, NotFoundException, ServiceUnavailableException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type PurchaseRequested, parseEvent, purchaseRequested } from '@rocketmq-shop/contracts';
import { ClientRocketMQ } from '@rocketmq-shop/rocketmq-transport';
import { InFlightLimit } from '@rocketmq-shop/service-defaults';
import { randomUUID } from 'node:crypto';
import { LessThan, type Repository } from 'typeorm';
import { PurchaseBatcher } from './purchase-batcher';
import { Purchase, type PurchaseState } from './purchase.entity';
import { type Reservation, SoldOutGate, soldOutAnswer } from './sold-out-gate';

export interface PurchaseRequestInput {
  saleId: string;
  userId: string;
  sku: string;
  quantity: number;
}

export interface AdmittedPurchase {
  requestId: string;
  status: 'PENDING';
  statusUrl: string;
}

export interface PurchaseView {
  requestId: string;
  status: PurchaseState;
  reason?: string;
}

export interface FlashSaleStats {
  accepted: number;
  pending: number;
  confirmed: number;
  rejected: number;
  /** Refused by this replica's sold-out gate (409 without touching Postgres or the broker); in memory since start. */
  refusedSoldOut: number;
}

@Injectable()
export class FlashSaleService {
  constructor(
    @InjectRepository(Purchase) private readonly purchases: Repository<Purchase>,
    private readonly mq: ClientRocketMQ,
    private readonly gate: SoldOutGate,
    private readonly limit: InFlightLimit,
    private readonly batcher: PurchaseBatcher,
  ) {}

  /**
   * Admission only (ADR 0011, ADR 0014, ADR 0020). A sale this replica knows is sold out rarely gets
   * here, nor does a request arriving while admissions shed (FrontDoor answers 409 or 503).
   * Beyond the queueing budget the request is still shed here (503 + Retry-After); else its units are
   * counted against the gate's stock (409 `sold-out` when this replica already admitted all of it), the
   * PENDING purchase joins the next batched INSERT (409 if the user already has one in this sale), its
   * purchase-requests message is published, and the answer is 202. Whether
   * stock is left stays inventory's call, made at its own pace from the broker's backlog.
   */
  async admit(input: PurchaseRequestInput): Promise<AdmittedPurchase> {
    return this.limit.run(async () => {
      const reservation = await this.reserve(input);
      try {
        const admitted = await this.admitReserved(input);
        this.gate.settle(reservation, true);
        return admitted;
      } catch (error) {
        this.gate.settle(reservation, false);
        throw error;
      }
    });
  }

  /**
   * Counts the purchase's units against the gate, each try before any await: concurrent admissions
   * cannot together pass the stock this replica knows (ADR 0020). While only units of admissions still
   * under way stand in the way, it waits for them to be taken or given back.
   */
  private async reserve(input: PurchaseRequestInput): Promise<Reservation> {
    for (;;) {
      const reservation = this.gate.reserve(input.saleId, input.sku, input.quantity);
      if (reservation === undefined) throw new ConflictException(soldOutAnswer(input.saleId, input.sku));
      if (reservation !== 'wait') return reservation;
      await this.gate.settlement(input.sku);
    }
  }

  /**
   * Publishes again the purchases still PENDING that were requested before `cutoff` (at most `limit`,
   * oldest first) and answers how many: a crash between a purchase's INSERT and its publish leaves it
   * PENDING for good otherwise. Safe for a purchase that was published after all: inventory decides a
   * request id once, and a redelivery changes nothing.
   */
  async republishPending(cutoff: Date, limit: number): Promise<number> {
    const stale = await this.purchases.find({ where: { status: 'PENDING', requestedAt: LessThan(cutoff) }, order: { requestedAt: 'ASC' }, take: limit });
    await Promise.all(
      stale.map(({ requestId, saleId, userId, sku, quantity, requestedAt }) =>
        this.publish(parseEvent(purchaseRequested, { requestId, saleId, userId, sku, quantity, requestedAt: requestedAt.toISOString() })),
      ),
    );
    return stale.length;
  }

  async get(requestId: string): Promise<PurchaseView> {
    const purchase = await this.purchases.findOneBy({ requestId });
    if (!purchase) throw new NotFoundException(`no purchase request ${requestId}`);
    return { requestId, status: purchase.status, ...(purchase.reason ? { reason: purchase.reason } : {}) };
  }

  async stats(saleId: string): Promise<FlashSaleStats> {
    const rows = await this.purchases
      .createQueryBuilder('purchase')
      .select('purchase.status', 'status')
      .addSelect('count(*)::int', 'count')
      .where('purchase.sale_id = :saleId', { saleId })
      .groupBy('purchase.status')
      .getRawMany<{ status: PurchaseState; count: number }>();
    const count = (status: PurchaseState) => rows.find((row) => row.status === status)?.count ?? 0;
    const [pending, confirmed, rejected] = [count('PENDING'), count('CONFIRMED'), count('REJECTED')];
    return { accepted: pending + confirmed + rejected, pending, confirmed, rejected, refusedSoldOut: this.gate.refusedIn(saleId) };
  }

  private async admitReserved(input: PurchaseRequestInput): Promise<AdmittedPurchase> {
    const requestedAt = new Date();
    const event = parseEvent(purchaseRequested, { ...input, requestId: randomUUID(), requestedAt: requestedAt.toISOString() });
    const inserted = await this.batcher.insert({ ...input, requestId: event.requestId, requestedAt });
    if (!inserted) {
      throw new ConflictException({ statusCode: 409, error: 'Conflict', reason: 'already-purchased', message: `user ${input.userId} already has a purchase in sale ${input.saleId}` });
    }
    try {
      await this.publish(event);
    } catch (error) {
      // Not queued means not accepted: remove the row so the user may try again instead of getting 409.
      await this.purchases.delete({ requestId: event.requestId });
      throw new ServiceUnavailableException(`purchase not queued: ${(error as Error).message}`, { cause: error });
    }
    return { requestId: event.requestId, status: 'PENDING', statusUrl: `/purchases/${event.requestId}` };
  }

  private async publish(event: PurchaseRequested): Promise<void> {
    await this.mq.publishMessage(purchaseRequested.topic, event, { keys: [event.requestId] });
  }
}
