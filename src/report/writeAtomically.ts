/** The report's atomic file writer (no rendering dependencies, so the CLI can import it cheaply). */
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `text` (UTF-8) to `path` through a uniquely named temporary file in the same directory renamed over it, so
 * a reader sees the old file or the whole new one; the temporary file is removed on failure (the error propagates).
 */
export async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, text, { encoding: 'utf8', flag: 'wx' });
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
