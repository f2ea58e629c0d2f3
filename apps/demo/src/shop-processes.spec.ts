import { describe, expect, it } from 'vitest';
import { SHOP_PROCESSES, selectShopProcesses } from './shop-processes';

describe('the shop processes', () => {
  it('run on the ports docs/adding-a-service.md documents, price-cache as three replicas', () => {
    expect(SHOP_PROCESSES.map(({ instance, port }) => `${instance}:${port}`)).toEqual([
      'registration:3001',
      'notification:3002',
      'order:3003',
      'inventory:3004',
      'price-cache-1:3011',
      'price-cache-2:3012',
      'price-cache-3:3013',
      'trigger:3006',
    ]);
  });

  it('run all of the shop when DEMO_APPS is unset', () => {
    expect(selectShopProcesses(SHOP_PROCESSES, {})).toEqual({ present: SHOP_PROCESSES, skipped: [] });
  });

  it('run only the apps DEMO_APPS names', () => {
    const selection = selectShopProcesses(SHOP_PROCESSES, { DEMO_APPS: 'price-cache' });
    expect(selection.present.map((p) => p.instance)).toEqual(['price-cache-1', 'price-cache-2', 'price-cache-3']);
    expect(selection.skipped.map((s) => s.app)).toEqual(['registration', 'notification', 'order', 'inventory', 'trigger']);
  });
});
