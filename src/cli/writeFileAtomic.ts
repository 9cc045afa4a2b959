/**
 * Atomic file writes for the CLI's outputs: the text goes to a temporary file in the target's directory (created
 * if missing), which is then renamed over the target, so a reader sees the old file or the new one, never a part;
 * a failed write (a full disk, a file size limit, no permission) removes the temporary file and leaves the target
 * as it was. A target that exists and is not a regular file (a device such as /dev/stdout, a FIFO) is written in
 * place: it cannot be replaced by renaming, and it holds no old content to protect. Failures are FileWriteError,
 * naming the path and the reason.
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeAtomically } from '../report/writeAtomically.ts';

/** What the common errno codes of a write mean, for the message. */
const REASONS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (file size limit reached)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a component of the path is not a directory',
  EISDIR: 'is a directory',
  ENOENT: 'no such file or directory',
  EEXIST: 'already exists',
  EIO: 'input/output error',
  ENAMETOOLONG: 'file name too long',
};

/** Writing (or creating the directory of) an output file failed; the target is as it was (or never existed). */
export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    /** The file (or directory) that could not be written (or created). */
    readonly path: string,
    /** The errno code, e.g. `ENOSPC` (`unknown` if none). */
    readonly code: string,
    /** What was being done: `create the directory` or `write`. */
    readonly action: 'create the directory' | 'write',
    cause: unknown,
  ) {
    super(`cannot ${action} ${path}: ${REASONS[code] ?? (cause instanceof Error ? cause.message : String(cause))} (${code})`, { cause });
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}

/**
 * Writes `text` (UTF-8) to `path` atomically, creating the directory; resolves to `path`. A non-regular existing
 * target (device, FIFO) is written in place. Throws FileWriteError; no temporary file is left behind.
 */
export async function writeFileAtomic(path: string, text: string): Promise<string> {
  const existing = await stat(path).catch(() => null);
  if (existing !== null && !existing.isFile() && !existing.isDirectory()) {
    try {
      await writeFile(path, text, { encoding: 'utf8' });
    } catch (error) {
      throw new FileWriteError(path, codeOf(error), 'write', error);
    }
    return path;
  }
  const dir = dirname(path);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new FileWriteError(dir, codeOf(error), 'create the directory', error);
  }
  try {
    await writeAtomically(path, text);
  } catch (error) {
    throw new FileWriteError(path, codeOf(error), 'write', error);
  }
  return path;
}
