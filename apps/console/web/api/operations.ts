import type { ClientSession, HalfMessage } from '../../src/api-contract/operations';
import { api } from './http';

export type { ClientSession, HalfMessage } from '../../src/api-contract/operations';

export const halfMessages = (): Promise<HalfMessage[]> => api('GET', 'transactions');
export const clientSessions = (): Promise<ClientSession[]> => api('GET', 'clients');
