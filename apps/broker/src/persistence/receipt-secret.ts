import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type FileSystem, isNotFound, writeFileAtomically } from '../storage/file-system';

const SECRET_BYTES = 32;

/**
 * The key receipt handles are MAC'd with (`receipt-secret` in the data directory): created once, so
 * handles of deliveries made before a restart can still be acknowledged after it.
 */
export async function loadReceiptSecret(fileSystem: FileSystem, dataDir: string): Promise<Buffer> {
  const path = join(dataDir, 'receipt-secret');
  try {
    const secret = await fileSystem.readFile(path);
    if (secret.length === SECRET_BYTES) return secret;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  // Missing or damaged: a new key only invalidates handles in flight (their messages come again).
  const secret = randomBytes(SECRET_BYTES);
  await writeFileAtomically(fileSystem, path, secret);
  return secret;
}
