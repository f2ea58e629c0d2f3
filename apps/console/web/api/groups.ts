import type { DeadLetter, GroupConfig, GroupConfigChange, GroupDetail } from '../../src/api-contract/groups';
import { api, path } from './http';

export type { DeadLetter, GroupConfig, GroupConfigChange, GroupDetail } from '../../src/api-contract/groups';

export const listGroups = (): Promise<(GroupConfig & { topics: string[] })[]> => api('GET', 'groups');
export const groupDetail = (name: string): Promise<GroupDetail> => api('GET', path('groups', name));
export const configureGroup = (name: string, change: GroupConfigChange): Promise<GroupConfig> => api('PUT', path('groups', name), change);
export const deadLetters = (name: string): Promise<DeadLetter[]> => api('GET', path('groups', name, 'dlq'));
/** Replays the given dead letters, or all of the group's when `messageIds` is undefined. */
export const replayDeadLetters = (name: string, messageIds?: string[]): Promise<{ replayed: string[] }> => api('POST', path('groups', name, 'dlq', 'replay'), { messageIds });
