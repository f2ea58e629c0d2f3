import { describe, expect, it } from 'vitest';
import { demoPorts, placeProcesses } from './demo-ports';
import { SHOP_PROCESSES } from './shop-processes';

describe('demo ports', () => {
  it('are the documented ones by default', () => {
    const ports = demoPorts(SHOP_PROCESSES, [], {});
    expect(ports).toEqual({ broker: 8081, brokerAdmin: 8082, demoControl: 3090, apps: { console: 3000, registration: 3001, notification: 3002, order: 3003, inventory: 3004, 'price-cache': 3011, trigger: 3006 } });
    expect(placeProcesses(SHOP_PROCESSES, ports)).toEqual(SHOP_PROCESSES);
  });

  it('move by environment, and flags win over the environment', () => {
    const ports = demoPorts(SHOP_PROCESSES, ['--broker-admin-port', '9082', '--order-port=4003', '--price-cache-port', '4011'], { BROKER_ADMIN_PORT: '7082', BROKER_PORT: '9081', ORDER_PORT: '5003' });
    expect(ports.broker).toBe(9081);
    expect(ports.brokerAdmin).toBe(9082);
    expect(ports.apps.order).toBe(4003);
    expect(placeProcesses(SHOP_PROCESSES, ports).filter((p) => p.app === 'price-cache').map((p) => p.port)).toEqual([4011, 4012, 4013]);
  });

  it('refuses unknown arguments and bad port numbers, saying what is accepted', () => {
    expect(() => demoPorts(SHOP_PROCESSES, ['--bogus-port', '1'], {})).toThrow(/unknown argument "--bogus-port".*--broker-admin-port <n>/);
    expect(() => demoPorts(SHOP_PROCESSES, ['--port', '1'], {})).toThrow(/unknown argument/);
    expect(() => demoPorts(SHOP_PROCESSES, [], { INVENTORY_PORT: '70000' })).toThrow(/INVENTORY_PORT must be a port number/);
    expect(() => demoPorts(SHOP_PROCESSES, ['--order-port'], {})).toThrow(/needs a port number/);
  });
});
