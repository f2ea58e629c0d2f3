import type { MessageHistory, MessageView } from '../../src/api-contract/messages';
import { api, path } from './http';

export type { MessageHistory, MessageView } from '../../src/api-contract/messages';

export const messageHistory = (id: string): Promise<MessageHistory> => api('GET', path('messages', id));
export const messagesByKey = (topic: string, key: string): Promise<MessageView[]> => api('GET', `messages?${new URLSearchParams({ topic, key })}`);
