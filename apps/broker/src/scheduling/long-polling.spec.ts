import { describe, expect, it } from 'vitest';
import { systemClock } from './clock';
import { LongPolling } from './long-polling';

const FAR = Date.now() + 60_000;

/** Parks a call and records when it wakes. */
function park(polling: LongPolling, woken: string[], name: string, audience: string, until = FAR, signal = new AbortController().signal) {
  return polling.wait('orders', audience, until, signal).then(() => void woken.push(name));
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LongPolling', () => {
  it('a change wakes the longest-parked call of each audience, not every call', async () => {
    const polling = new LongPolling(systemClock);
    const woken: string[] = [];
    for (const [name, audience] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b']]) void park(polling, woken, name, audience);
    polling.notify('orders');
    await settle();
    expect(woken.sort()).toEqual(['a1', 'b1']);
    polling.notify('other-topic');
    await settle();
    expect(woken).toHaveLength(2);
  });

  it('notifyAudience passes the wake-up to the next parked call of that audience only', async () => {
    const polling = new LongPolling(systemClock);
    const woken: string[] = [];
    for (const [name, audience] of [['a1', 'a'], ['a2', 'a'], ['b1', 'b']]) void park(polling, woken, name, audience);
    polling.notifyAudience('orders', 'a');
    await settle();
    polling.notifyAudience('orders', 'a');
    await settle();
    expect(woken).toEqual(['a1', 'a2']);
    polling.notifyAudience('orders', 'a'); // none left: nothing happens
    await settle();
    expect(woken).toEqual(['a1', 'a2']);
  });

  it('a call wakes by itself at its deadline or when aborted; wakeAll wakes everyone', async () => {
    const polling = new LongPolling(systemClock);
    const woken: string[] = [];
    const abort = new AbortController();
    void park(polling, woken, 'deadline', 'a', Date.now() + 5);
    void park(polling, woken, 'aborted', 'a', FAR, abort.signal);
    void park(polling, woken, 'x', 'b');
    void park(polling, woken, 'y', 'b');
    abort.abort();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(woken.sort()).toEqual(['aborted', 'deadline']);
    polling.wakeAll();
    await settle();
    expect(woken.sort()).toEqual(['aborted', 'deadline', 'x', 'y']);
  });
});
