import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { type CachedPrice, type CacheSummary, PriceCache } from './price-cache';

export const INSTANCE_ID = Symbol('INSTANCE_ID');

export interface ServedPrice {
  sku: string;
  priceCents: number;
  version: number;
  /** Which replica answered: proves that reads are local to each replica. */
  servedBy: string;
}

export interface CacheState extends CacheSummary {
  instanceId: string;
}

/** Reads, answered from this replica's memory only: no database, no call to inventory. */
@ApiTags('prices')
@Controller()
export class PricesController {
  constructor(
    private readonly cache: PriceCache,
    @Inject(INSTANCE_ID) private readonly instanceId: string,
  ) {}

  @Get('prices')
  @ApiOkResponse({ description: '`[{ sku, priceCents, version, servedBy }]`: every price this replica holds, by SKU' })
  prices(): ServedPrice[] {
    return this.cache.all().map((cached) => this.served(cached));
  }

  @Get('prices/:sku')
  @ApiOkResponse({ description: '`{ sku, priceCents, version, servedBy }` from this replica’s memory' })
  @ApiNotFoundResponse({ description: 'no price change for this SKU has reached this replica' })
  price(@Param('sku') sku: string): ServedPrice {
    const cached = this.cache.get(sku);
    if (!cached) throw new NotFoundException(`no price for ${sku} in ${this.instanceId}`);
    return this.served(cached);
  }

  private served({ sku, priceCents, version }: CachedPrice): ServedPrice {
    return { sku, priceCents, version, servedBy: this.instanceId };
  }

  @Get('cache')
  @ApiOkResponse({ description: '`{ instanceId, entries, version, lastAppliedAt, warm }`: how far this replica has caught up' })
  state(): CacheState {
    return { instanceId: this.instanceId, ...this.cache.summary() };
  }
}
