import { readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

// Each embedded Postgres lives in <baseDir>/run-<owner pid>-<random>/data. The owner's pid is part of
// the directory name (not a file written afterwards), so a directory is never seen without its owner.

const RUN_DIR = /^run-(\d+)-/;

export function runDirPrefix(ownerPid: number): string {
  return `run-${ownerPid}-`;
}

export function dataDirOf(runDir: string): string {
  return join(runDir, 'data');
}

/**
 * Removes the directories of runs whose owner died without calling stop() (SIGKILL, a crash), after
 * stopping the Postgres such an owner may have left behind; otherwise dead runs fill the disk and hold ports.
 */
export async function removeStaleRuns(baseDir: string): Promise<void> {
  for (const entry of await readdir(baseDir)) {
    const owner = RUN_DIR.exec(entry)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    const runDir = join(baseDir, entry);
    if (await stopOrphanPostmaster(dataDirOf(runDir))) await rm(runDir, { recursive: true, force: true });
  }
}

/** True when no Postgres runs on `dataDir` any more; false when one might and we must not delete its files. */
async function stopOrphanPostmaster(dataDir: string): Promise<boolean> {
  const pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(pidFile?.split('\n', 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return true;
  // Pids are recycled: only signal the process if it really is the postmaster of this data directory.
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!commandLine.includes(dataDir)) return false;
  signal(pid, 'SIGQUIT'); // immediate shutdown: the data is about to be deleted anyway
  for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 50) await sleep(50);
  return !isAlive(pid);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // It exited between the check and the signal: that is the outcome we wanted.
  }
}
