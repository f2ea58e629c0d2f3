import { describe, expect, it } from 'vitest';
import { MessageTrail } from './message-trail';

const place = { topicId: 3, queueId: 1, offset: 42 };

describe('MessageTrail', () => {
  it("returns a message's events of every group, oldest first, and nothing of other places", () => {
    const trail = new MessageTrail(16);
    trail.record('delivered', 'g1', 3, 1, 42, 1, 1_000);
    trail.record('delivered', 'g1', 3, 1, 43, 1, 1_000);
    trail.record('delivered', 'g2', 3, 1, 42, 1, 1_001);
    trail.record('acked', 'g1', 3, 1, 42, 0, 1_002);
    trail.record('dead-lettered', 'g2', 3, 1, 42, 1, 1_003, 'max attempts reached');
    trail.record('delivered', 'g1', 4, 1, 42, 1, 1_004);

    expect(trail.find(place)).toEqual([
      { event: 'delivered', group: 'g1', attempt: 1, at: 1_000 },
      { event: 'delivered', group: 'g2', attempt: 1, at: 1_001 },
      { event: 'acked', group: 'g1', attempt: 0, at: 1_002 },
      { event: 'dead-lettered', group: 'g2', attempt: 1, at: 1_003, reason: 'max attempts reached' },
    ]);
  });

  it('keeps only the newest events once full', () => {
    const trail = new MessageTrail(4);
    for (let attempt = 1; attempt <= 6; attempt++) trail.record('delivered', 'g', 3, 1, 42, attempt, attempt);
    expect(trail.find(place).map((entry) => entry.attempt)).toEqual([3, 4, 5, 6]);
  });
});
