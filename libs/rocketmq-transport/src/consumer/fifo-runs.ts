/**
 * Splits a received batch into runs that may proceed side by side. FIFO: one run per message group,
 * in the order received, so a group's messages are handled one after another (messages without a
 * group run alone). Otherwise every message is its own run.
 */
export function runsOf<T extends { messageGroup?: string }>(messages: readonly T[], fifo: boolean): T[][] {
  if (!fifo) return messages.map((message) => [message]);
  const byGroup = new Map<string | T, T[]>();
  for (const message of messages) {
    const key = message.messageGroup ?? message;
    const run = byGroup.get(key);
    if (run) run.push(message);
    else byGroup.set(key, [message]);
  }
  return [...byGroup.values()];
}
