import type { CreateTopic, SentMessage, TestMessage, TopicDetail, TopicSummary } from '../../src/api-contract/topics';
import { api, path } from './http';

export type { CreateTopic, SentMessage, TestMessage, TopicDetail, TopicSummary } from '../../src/api-contract/topics';

export const listTopics = (): Promise<TopicSummary[]> => api('GET', 'topics');
export const topicDetail = (name: string): Promise<TopicDetail> => api('GET', path('topics', name));
export const createTopic = (topic: CreateTopic): Promise<TopicDetail> => api('POST', 'topics', topic);
export const sendTestMessage = (topic: string, message: TestMessage): Promise<SentMessage> => api('POST', path('topics', topic, 'messages'), message);
