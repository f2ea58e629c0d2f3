import type { FaultService, FaultSwitches, FlashSaleView, PostedPurchases, PriceCacheView, RegistrationTimeline } from '../../src/api-contract/scenarios';
import { api, path } from './http';

export type { FaultService, FaultSwitches, FlashSaleView, PriceCacheView, RegistrationTimeline, ReplicaView } from '../../src/api-contract/scenarios';

export const fetchFaults = (service: FaultService): Promise<FaultSwitches> => api('GET', path('faults', service));
export const changeFaults = (service: FaultService, settings: Record<string, unknown>): Promise<Record<string, unknown>> => api('PUT', path('faults', service), settings);

export const fetchFlashSale = (saleId: string, sku: string): Promise<FlashSaleView> =>
  api('GET', `scenarios/flash-sale?${new URLSearchParams({ saleId, sku }).toString()}`);
export const postPurchases = (saleId: string, sku: string, count: number): Promise<PostedPurchases> => api('POST', 'scenarios/flash-sale/purchases', { saleId, sku, count });

export const fetchPriceCache = (): Promise<PriceCacheView> => api('GET', 'scenarios/price-cache');
export const setReplicaRunning = (instance: string, running: boolean): Promise<unknown> => api('PUT', path('scenarios', 'price-cache', 'replicas', instance), { running });
export const changePrice = (sku: string, priceCents: number): Promise<{ version: number }> => api('PUT', path('scenarios', 'price-cache', 'prices', sku), { priceCents });

export const registerUser = (): Promise<{ userId: string }> => api('POST', 'scenarios/registrations');
export const fetchTimeline = (userId: string): Promise<RegistrationTimeline> => api('GET', path('scenarios', 'registrations', userId));
