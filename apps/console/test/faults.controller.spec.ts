import { describe, expect, it } from 'vitest';
import { FaultsController } from '../src/pages/scenarios/faults.controller';
import { UpstreamError } from '../src/upstream/upstream-error';
import type { ShopServices } from '../src/upstream/shop-services';

/** ShopServices answering every request with `answer` (or throwing it). */
function servicesAnswering(answer: () => unknown): ShopServices {
  return { request: async () => answer() } as unknown as ShopServices;
}

describe('FaultsController', () => {
  it("reports a service's switches when its /faults answers", async () => {
    const controller = new FaultsController(servicesAnswering(() => ({ purchasesPaused: false, slowdownMs: 0 })));
    await expect(controller.current('inventory')).resolves.toEqual({ enabled: true, settings: { purchasesPaused: false, slowdownMs: 0 } });
  });

  it('reports the switches off when /faults does not exist (FAULTS_ENABLED off)', async () => {
    const controller = new FaultsController(
      servicesAnswering(() => {
        throw UpstreamError.answered('inventory', 404, 'Cannot GET /faults');
      }),
    );
    await expect(controller.current('inventory')).resolves.toEqual({ enabled: false });
  });

  it('passes on any other failure', async () => {
    const controller = new FaultsController(
      servicesAnswering(() => {
        throw UpstreamError.unreachable('inventory', new Error('ECONNREFUSED'));
      }),
    );
    await expect(controller.current('inventory')).rejects.toThrow(/inventory did not answer/);
  });
});
