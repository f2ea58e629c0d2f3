import type { BrokerStats } from '../../src/api-contract/broker-stats';
import { api } from './http';

export type { BrokerStats, GroupStats, TopicStats } from '../../src/api-contract/broker-stats';

export const fetchStats = (): Promise<BrokerStats> => api('GET', 'dashboard');
