import { join } from 'node:path';
import { type FileSystem, isNotFound, writeFileAtomically } from '../storage/file-system';

const FORMAT = 'rocketmq-shop broker storage 2';

/**
 * The data directory says which storage format it holds (`FORMAT`). A directory written by the
 * first broker version (one commit log replayed at start, no FORMAT file) is refused, not misread.
 */
export async function checkStorageFormat(fileSystem: FileSystem, dataDir: string): Promise<void> {
  await fileSystem.mkdir(dataDir);
  const path = join(dataDir, 'FORMAT');
  let found: string;
  try {
    found = (await fileSystem.readFile(path)).toString('utf8').trim();
  } catch (error) {
    if (!isNotFound(error)) throw error;
    const earlier = (await fileSystem.list(join(dataDir, 'commitlog'))).some((name) => name.endsWith('.log'));
    if (earlier) {
      throw new Error(`${dataDir} holds storage of an earlier broker version (format 1, no FORMAT file); this broker reads format 2 only. Move the directory aside (or delete it) and start again.`);
    }
    await writeFileAtomically(fileSystem, path, Buffer.from(`${FORMAT}\n`));
    return;
  }
  if (found !== FORMAT) throw new Error(`${dataDir}/FORMAT says "${found}"; this broker reads "${FORMAT}" only`);
}
