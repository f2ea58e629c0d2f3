import type { AdminClient } from '@rocketmq-shop/testing';

/** A counter of the broker's Prometheus `/metrics` for one topic and consumer group (0 when absent). */
export async function groupCounter(admin: AdminClient, metric: string, topic: string, group: string): Promise<number> {
  const { text } = await admin.get('/metrics');
  const line = text.split('\n').find((entry) => entry.startsWith(`${metric}{`) && entry.includes(`topic="${topic}"`) && entry.includes(`consumer_group="${group}"`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
