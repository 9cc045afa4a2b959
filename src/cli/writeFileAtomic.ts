/**
 * Atomic file writes for the CLI's outputs: the text goes to a temporary file in the target's directory (created
 * if missing), which is then renamed over the target, so a reader sees the old file or the new one, never a part.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `text` (UTF-8) to `path` atomically, creating the directory; resolves to `path`. */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return path;
}
