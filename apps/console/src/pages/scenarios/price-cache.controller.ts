import { Controller, Get, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ZodBody, ZodValidationPipe } from '@rocketmq-shop/service-defaults';
import { z } from 'zod';
import type { PriceCacheView, ReplicaView } from '../../api-contract/scenarios';
import { type DemoProcess, DemoControl } from '../../upstream/demo-control';
import { requestJson } from '../../upstream/json-http';
import { ShopServices } from '../../upstream/shop-services';

const InstancePipe = new ZodValidationPipe(z.string().regex(/^price-cache-[A-Za-z0-9_-]{1,40}$/, 'replicas are named price-cache-<n>'));
const SkuPipe = new ZodValidationPipe(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'SKUs match [A-Za-z0-9_-]{1,64}'));
const Running = z.object({ running: z.boolean() });
const Price = z.object({ priceCents: z.number().int().min(1).max(2_147_483_647) });

/** A replica as the console finds it: from the demo control when there is one, else from CONSOLE_SERVICES. */
interface KnownReplica {
  instance: string;
  url: string;
  running: boolean;
  takenDown: boolean;
}

/** The price-cache panel: every replica's price version per SKU against inventory's latest. */
@ApiTags('scenarios')
@Controller('api/scenarios/price-cache')
export class PriceCacheController {
  constructor(
    private readonly services: ShopServices,
    private readonly control: DemoControl,
  ) {}

  @Get()
  async sample(): Promise<PriceCacheView> {
    const [latest, known] = await Promise.all([
      this.services.request<PriceCacheView['latest']>('inventory', 'GET', '/products'),
      this.replicas(),
    ]);
    const replicas = await Promise.all(known.replicas.map((replica) => this.versionsOf(replica)));
    return { latest: latest.map(({ sku, priceCents, priceVersion }) => ({ sku, priceCents, priceVersion })), replicas, canStopReplicas: known.fromControl };
  }

  /** Stops (`running: false`) or brings back a replica through the demo control. */
  @Put('replicas/:instance')
  setRunning(@Param('instance', InstancePipe) instance: string, @ZodBody(Running) body: z.output<typeof Running>): Promise<DemoProcess> {
    return this.control.request('PUT', `/processes/${instance}`, body);
  }

  /** A price change at inventory: published once, every replica applies it. */
  @Put('prices/:sku')
  changePrice(@Param('sku', SkuPipe) sku: string, @ZodBody(Price) body: z.output<typeof Price>): Promise<{ sku: string; priceCents: number; version: number }> {
    return this.services.request('inventory', 'PUT', `/products/${sku}/price`, body);
  }

  private async replicas(): Promise<{ replicas: KnownReplica[]; fromControl: boolean }> {
    if (this.control.configured) {
      const processes = await this.control.request<DemoProcess[]>('GET', '/processes').catch(() => undefined);
      if (processes) return { replicas: processes.filter((process) => process.app === 'price-cache'), fromControl: true };
    }
    const replicas = this.services
      .names()
      .filter((name) => name.startsWith('price-cache'))
      .map((instance) => ({ instance, url: this.services.urlOf(instance), running: true, takenDown: false }));
    return { replicas, fromControl: false };
  }

  private async versionsOf(replica: KnownReplica): Promise<ReplicaView> {
    const { instance, running, takenDown } = replica;
    const prices = running ? await requestJson<{ sku: string; version: number }[]>(instance, `${replica.url}/prices`, 'GET').catch(() => undefined) : undefined;
    return { instance, running: running && prices !== undefined, takenDown, versions: prices ? Object.fromEntries(prices.map((price) => [price.sku, price.version])) : null };
  }
}
