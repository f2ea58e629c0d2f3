import type { TriggerInput, TriggerState } from '../../src/api-contract/triggers';
import { api, path } from './http';

export type { TriggerDefinition, TriggerInput, TriggerState } from '../../src/api-contract/triggers';

export const listTriggers = (): Promise<TriggerState[]> => api('GET', 'triggers');
export const createTrigger = (trigger: TriggerInput): Promise<TriggerState> => api('POST', 'triggers', trigger);
export const updateTrigger = (trigger: TriggerInput): Promise<TriggerState> => api('PUT', path('triggers', trigger.name), trigger);
export const deleteTrigger = (name: string): Promise<void> => api('DELETE', path('triggers', name));
