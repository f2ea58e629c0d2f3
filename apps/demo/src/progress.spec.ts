import { describe, expect, it } from 'vitest';
import { Progress } from './progress';

function recorder() {
  let text = '';
  let now = 0;
  return {
    progress: new Progress({ write: (chunk: string) => (text += chunk) }, () => now),
    advance: (ms: number) => (now += ms),
    text: () => text,
  };
}

describe('Progress', () => {
  it('times a step on one line', async () => {
    const { progress, advance, text } = recorder();
    await progress.step('Postgres', async () => advance(1234));
    expect(text()).toBe('starting Postgres… ok (1.2 s)\n');
  });

  it('follows processes started one after another by their ready lines', () => {
    const { progress, advance, text } = recorder();
    const onLine = progress.follow([
      { label: 'broker', source: 'broker', ready: /^admin listening on / },
      { label: 'price-cache-1', source: 'price-cache-1', ready: /^price-cache listening on / },
    ]);
    onLine('broker', 'broker listening on 127.0.0.1:8081');
    advance(300);
    onLine('broker', 'admin listening on http://127.0.0.1:8082');
    onLine('price-cache-1', '{"level":"info","msg":"price-cache listening on is not a ready line"}');
    advance(600);
    onLine('price-cache-1', 'price-cache listening on http://127.0.0.1:3011');
    expect(text()).toBe('starting broker… ok (0.3 s)\nstarting price-cache-1… ok (0.6 s)\n');
  });

  it('marks the stage that was running when the start failed', () => {
    const { progress, text } = recorder();
    progress.follow([{ label: 'order', source: 'order', ready: /^order listening on / }]);
    progress.fail();
    expect(text()).toBe('starting order… failed\n');
  });
});
