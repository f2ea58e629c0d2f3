import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileHandle, nodeFileSystem, writevFully } from './file-system';

let dir: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'file-system-'));
});

afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

/** A handle whose writev writes at most `limit` bytes a call, as a kernel may under pressure. */
function shortWriting(handle: FileHandle, limit: number): FileHandle & { calls: number } {
  const wrapper = Object.create(handle) as FileHandle & { calls: number };
  wrapper.calls = 0;
  wrapper.writev = async (buffers, position) => {
    wrapper.calls++;
    const joined = Buffer.concat(buffers);
    return handle.write(joined, 0, Math.min(limit, joined.length), position);
  };
  return wrapper;
}

describe('writevFully', () => {
  it('writes every buffer in order at the position, with a synced (O_DSYNC) handle', async () => {
    const file = path.join(dir, 'synced');
    const handle = await nodeFileSystem.open(file, { create: true, syncWrites: true });
    await writevFully(handle, [Buffer.from('head-'), Buffer.from('middle-'), Buffer.from('tail')], 3, file);
    await handle.close();
    expect((await fs.readFile(file)).subarray(3).toString()).toBe('head-middle-tail');
  });

  it('resumes short writes inside and across buffers until all bytes are written', async () => {
    const file = path.join(dir, 'short');
    const handle = await nodeFileSystem.open(file, { create: true });
    const short = shortWriting(handle, 3);
    await writevFully(short, [Buffer.from('abcd'), Buffer.from('e'), Buffer.from('fghij')], 0, file);
    await handle.close();
    expect((await fs.readFile(file)).toString()).toBe('abcdefghij');
    expect(short.calls).toBe(4);
  });

  it('fails instead of looping when a write makes no progress', async () => {
    const file = path.join(dir, 'stuck');
    const handle = await nodeFileSystem.open(file, { create: true });
    await expect(writevFully(shortWriting(handle, 0), [Buffer.from('x')], 0, file)).rejects.toThrow(/made no progress/);
    await handle.close();
  });
});
