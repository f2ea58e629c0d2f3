import type { AdminClient } from '@rocketmq-shop/testing';

/** An entry of the broker's `GET /groups/:g/dlq` (apps/broker/src/admin). */
export interface DeadLetter {
  messageId: string;
  topic: string;
  bodyText: string;
  deadLetterOf?: { topic: string; messageId: string };
  /** DLQ_REASON: why it was dead-lettered (the transport's reason, ADR 0023). */
  properties: Record<string, string>;
}

export async function deadLetters(admin: AdminClient, group: string): Promise<DeadLetter[]> {
  const response = await admin.get<DeadLetter[]>(`/groups/${encodeURIComponent(group)}/dlq`);
  if (response.status !== 200) throw new Error(`GET /groups/${group}/dlq answered ${response.status}: ${response.text}`);
  return response.body;
}
