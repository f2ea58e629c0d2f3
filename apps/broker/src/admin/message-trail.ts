/** What happened to a message in a group, as the trail records it. */
export const TRAIL_EVENTS = ['delivered', 'acked', 'dead-lettered', 'replayed'] as const;
export type TrailEvent = (typeof TRAIL_EVENTS)[number];

export interface TrailEntry {
  event: TrailEvent;
  group: string;
  /** The delivery attempt (delivered, dead-lettered); 0 where it does not apply. */
  attempt: number;
  at: number;
  /** Why it was dead-lettered. */
  reason?: string;
}

/** A message's place: its topic incarnation, queue and offset. */
export interface QueuePlace {
  topicId: number;
  queueId: number;
  offset: number;
}

/** Events kept: about 30 bytes each, so 2 MiB in all. */
const DEFAULT_CAPACITY = 65_536;

/**
 * The newest deliveries, acks, dead-letterings and replays of every group, for the admin API's
 * message trail: a fixed ring of typed arrays (no object per event, nothing for the garbage
 * collector), overwritten oldest first. Recording is a few array writes per message; looking a
 * message up scans the ring, which only an operator does. Group names and reasons are interned.
 */
export class MessageTrail {
  private readonly at: Float64Array;
  private readonly offset: Float64Array;
  private readonly topicId: Int32Array;
  private readonly queueId: Int32Array;
  private readonly label: Uint32Array;
  private readonly reason: Uint32Array;
  private readonly attempt: Uint16Array;
  private readonly event: Uint8Array;
  private readonly labels: string[] = [''];
  private readonly labelIds = new Map<string, number>([['', 0]]);
  private next = 0;
  private size = 0;

  constructor(readonly capacity = DEFAULT_CAPACITY) {
    this.at = new Float64Array(capacity);
    this.offset = new Float64Array(capacity);
    this.topicId = new Int32Array(capacity);
    this.queueId = new Int32Array(capacity);
    this.label = new Uint32Array(capacity);
    this.reason = new Uint32Array(capacity);
    this.attempt = new Uint16Array(capacity);
    this.event = new Uint8Array(capacity);
  }

  /** One event; positional, so that recording a batch allocates nothing. */
  record(event: TrailEvent, group: string, topicId: number, queueId: number, offset: number, attempt: number, at: number, reason?: string): void {
    const slot = this.next;
    this.event[slot] = TRAIL_EVENTS.indexOf(event);
    this.label[slot] = this.intern(group);
    this.topicId[slot] = topicId;
    this.queueId[slot] = queueId;
    this.offset[slot] = offset;
    this.attempt[slot] = Math.min(attempt, 0xffff);
    this.reason[slot] = reason === undefined ? 0 : this.intern(reason);
    this.at[slot] = at;
    this.next = (slot + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** What the ring still holds about this message, oldest first. */
  find(place: QueuePlace): TrailEntry[] {
    const entries: TrailEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const slot = (this.next - this.size + i + this.capacity) % this.capacity;
      if (this.offset[slot] !== place.offset || this.queueId[slot] !== place.queueId || this.topicId[slot] !== place.topicId) continue;
      const reason = this.reason[slot];
      entries.push({
        event: TRAIL_EVENTS[this.event[slot]],
        group: this.labels[this.label[slot]],
        attempt: this.attempt[slot],
        at: this.at[slot],
        ...(reason === 0 ? {} : { reason: this.labels[reason] }),
      });
    }
    return entries;
  }

  /** Group names and reasons: a handful per broker (broadcast groups come and go, one name each). */
  private intern(text: string): number {
    let id = this.labelIds.get(text);
    if (id === undefined) {
      id = this.labels.push(text) - 1;
      this.labelIds.set(text, id);
    }
    return id;
  }
}
