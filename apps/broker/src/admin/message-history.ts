import type { Broker } from '../broker';
import type { StoredMessage } from '../messaging/message';
import type { TrailEntry } from './message-trail';

/** Where a message stands for one group now; the trail says how it got there. */
export type GroupProgress = 'acked' | 'dead-lettered' | 'done' | 'in flight' | 'retrying' | 'waiting' | 'not delivered yet';

/**
 * A message's history for `GET /messages/:id/trail`: when it was sent, its trace id, and per group
 * that reads its topic the state now (from the group's cursor) and the recorded deliveries, acks,
 * dead-letterings and replays (from the bounded trail: an old message may show a state without events).
 */
export function messageHistory(broker: Broker, message: StoredMessage, now = Date.now()) {
  const events = broker.metrics.trail.find(message);
  const groups = [];
  for (const group of broker.groups.list()) {
    const cursor = group.subscription(message.topic, message.topicId)?.cursors[message.queueId];
    // A group that started reading after this message never sees it.
    if (!cursor || message.offset < cursor.startOffset) continue;
    const own = events.filter((entry) => entry.group === group.name);
    const { finished, pending } = cursor.progressOf(message.offset);
    groups.push({ group: group.name, state: progress(finished, pending, own, now), attempts: pending?.attempt ?? lastAttempt(own), events: own });
  }
  return { sentAt: message.bornAt, storedAt: message.storedAt, traceId: traceIdOf(message), groups };
}

function progress(finished: boolean, pending: { attempt: number; visibleAt: number } | undefined, events: TrailEntry[], now: number): GroupProgress {
  if (finished) {
    const last = events.at(-1)?.event;
    return last === 'acked' || last === 'dead-lettered' ? last : 'done';
  }
  if (!pending) return 'not delivered yet';
  if (pending.attempt === 0) return 'waiting';
  return pending.visibleAt > now ? 'in flight' : 'retrying';
}

function lastAttempt(events: TrailEntry[]): number {
  return Math.max(0, ...events.map((entry) => entry.attempt));
}

/** The W3C trace id: from the message's trace context, or the `traceparent` user property the transport writes. */
function traceIdOf(message: StoredMessage): string | undefined {
  const traceparent = message.traceContext ?? message.properties.traceparent;
  return /^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/.exec(traceparent ?? '')?.[1];
}
