import { describe, expect, it } from 'vitest';
import { type ConsumptionSwitch, PurchaseConsumption } from './purchase-consumption';
import { PurchaseFaultsController } from './purchase-faults.controller';
import { PurchaseSlowdown } from './purchase-slowdown';

/** A transport server stand-in that records which groups were paused. */
function fakeServer(): ConsumptionSwitch & { paused: Set<string> } {
  const paused = new Set<string>();
  return {
    paused,
    pauseConsumption: async (group) => void paused.add(group),
    resumeConsumption: (group) => void paused.delete(group),
    isConsumptionPaused: (group) => paused.has(group),
  };
}

function controllerWith(server?: ConsumptionSwitch): PurchaseFaultsController {
  const consumption = new PurchaseConsumption();
  if (server) consumption.attach(server);
  return new PurchaseFaultsController(new PurchaseSlowdown(), consumption);
}

describe('PurchaseFaultsController', () => {
  it('pauses and resumes the purchase-requests group, and reports it', async () => {
    const server = fakeServer();
    const controller = controllerWith(server);
    expect(controller.current()).toEqual({ slowdownMs: 0, purchasesPaused: false });

    expect(await controller.setFaults({ purchasesPaused: true })).toEqual({ slowdownMs: 0, purchasesPaused: true });
    expect([...server.paused]).toEqual(['inventory-purchases']);

    expect(await controller.setFaults({ purchasesPaused: false, slowdownMs: 200 })).toEqual({ slowdownMs: 200, purchasesPaused: false });
    expect(server.paused.size).toBe(0);
  });

  it('changes only what the body names', async () => {
    const server = fakeServer();
    const controller = controllerWith(server);
    await controller.setFaults({ purchasesPaused: true });
    expect(await controller.setFaults({ slowdownMs: 50 })).toEqual({ slowdownMs: 50, purchasesPaused: true });
  });

  it('cannot pause before the transport server is attached', async () => {
    await expect(controllerWith().setFaults({ purchasesPaused: true })).rejects.toThrow(/not attached/);
  });
});
