import type { AdminClient } from '@rocketmq-shop/testing';

/** SendMessage requests the broker has served: the count of its `rocketmq_send_latency_seconds` histogram (apps/broker/src/admin/metrics.ts). */
export async function sendRequests(admin: AdminClient): Promise<number> {
  const { text } = await admin.get('/metrics');
  const line = text.split('\n').find((entry) => entry.startsWith('rocketmq_send_latency_seconds_count'));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
