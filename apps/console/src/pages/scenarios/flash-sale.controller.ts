import { Controller, Get, HttpException, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FlashSaleView, PostedPurchases } from '../../api-contract/scenarios';
import { BrokerAdmin } from '../../upstream/broker-admin';
import { ShopServices } from '../../upstream/shop-services';

const PURCHASE_GROUP = 'inventory-purchases';
const PURCHASE_TOPIC = 'purchase-requests';
const Key = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'sale ids and SKUs match [A-Za-z0-9_-]{1,64}');
const SaleQuery = z.object({ saleId: Key, sku: Key });
const PostPurchases = SaleQuery.extend({ count: z.number().int().min(1).max(500) });

interface GroupState {
  topics: { topic: string; backlog: number; inflight: number; acked: number }[];
}

/** The flash-sale panel: order's sale, inventory's stock and intake cap, the broker's backlog of purchase requests. */
@ApiTags('scenarios')
@Controller('api/scenarios/flash-sale')
export class FlashSaleController {
  constructor(
    private readonly services: ShopServices,
    private readonly broker: BrokerAdmin,
  ) {}

  @Get()
  async sample(@Query(new ZodValidationPipe(SaleQuery)) { saleId, sku }: z.output<typeof SaleQuery>): Promise<FlashSaleView> {
    const [product, sale, group, stats] = await Promise.all([
      this.services.request<{ stock: number }>('inventory', 'GET', `/products/${sku}`).catch(nullWhenNotFound),
      this.services.request<FlashSaleView['sale']>('order', 'GET', `/flash-sales/${saleId}/stats`),
      this.broker.get<GroupState>(`/groups/${PURCHASE_GROUP}`),
      this.services.request<{ intakeRatePerSecond: number }>('inventory', 'GET', '/stats'),
    ]);
    const intake = group.topics.find((topic) => topic.topic === PURCHASE_TOPIC) ?? { backlog: 0, inflight: 0, acked: 0 };
    return {
      at: Date.now(),
      saleId,
      sku,
      stock: product?.stock ?? null,
      sale: { accepted: sale.accepted, pending: sale.pending, confirmed: sale.confirmed, rejected: sale.rejected },
      intake: { backlog: intake.backlog, inflight: intake.inflight, acked: intake.acked },
      intakeRatePerSecond: stats.intakeRatePerSecond,
    };
  }

  /** A burst of buyers, one purchase each (new user ids), posted at once as a spike would. */
  @Post('purchases')
  async post(@ZodBody(PostPurchases) { saleId, sku, count }: z.output<typeof PostPurchases>): Promise<PostedPurchases> {
    const answers = await Promise.allSettled(
      Array.from({ length: count }, () => this.services.request('order', 'POST', `/flash-sales/${saleId}/purchases`, { userId: randomUUID(), sku })),
    );
    const accepted = answers.filter((answer) => answer.status === 'fulfilled').length;
    return { accepted, refused: count - accepted };
  }
}

function nullWhenNotFound(error: unknown): null {
  if (error instanceof HttpException && error.getStatus() === HttpStatus.NOT_FOUND) return null;
  throw error;
}
