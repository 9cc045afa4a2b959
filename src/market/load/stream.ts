/**
 * Bounded-memory reading of CSV files (fs I/O): the file's size is checked against a limit before anything is read,
 * then it is read in chunks into one reused buffer, each chunk hashed (SHA-256 of the bytes), decoded as UTF-8, cut
 * into complete records (`CsvChunker`) and pushed into a record parser (`RecordParser`) at once. Memory is one chunk,
 * one unfinished record, and what the parser keeps (its good rows and at most its `maxFailures` failures), never the
 * file's text.
 */
import { createHash } from 'node:crypto';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { CsvChunker } from '../parse/csv.ts';
import type { RecordParser } from '../parse/rows.ts';
import type { ParseResult } from '../types.ts';

/** Why a file could not be read at all (a data problem of one row is a `ParseFailure` instead). */
export type InputFileProblem = 'too-large' | 'not-utf8' | 'unreadable';

/** A file that cannot be read as a whole: too large, not UTF-8, or unreadable. Names the file and the reason. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    /** The file's label (the `label` option, else its base name). */
    readonly file: string,
    readonly problem: InputFileProblem,
    /** Why, in words (without the file name). */
    readonly reason: string,
    /** For `too-large`: the file's size and the limit, bytes. */
    readonly sizeBytes?: number,
    readonly limitBytes?: number,
  ) {
    super(`${file}: ${reason}`);
  }
}

/** Options of `streamCsvFile`. */
export interface StreamCsvOptions {
  /** Name used in errors. Default: the file's base name. */
  readonly label?: string;
  /** Largest accepted file, bytes: a larger one is refused before it is read (and a file growing past it while read). Default: no limit. */
  readonly maxBytes?: number;
  /** What the file is, for the messages (e.g. `option snapshot`). Default `file`. */
  readonly what?: string;
  /** Bytes read at a time. Default 64 KiB. */
  readonly chunkBytes?: number;
  /** Longest record held back for its closing quote (see `CsvChunker`). Default 1 MiB of text. */
  readonly maxRecordChars?: number;
  /** `strict`: bytes that are not UTF-8 make the file an `InputFileError`; `replace` (default): they become U+FFFD. */
  readonly utf8?: 'strict' | 'replace';
}

/** What `streamCsvFile` gives: the parser's result, the SHA-256 of the file's bytes (hex) and its size in bytes. */
export interface StreamedCsv<T> {
  readonly result: ParseResult<T>;
  readonly sha256: string;
  readonly bytes: number;
}

/** `n` bytes in MiB with one decimal, for messages. */
export function formatMiB(n: number): string {
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** Refuses a file above `maxBytes` before reading it (`InputFileError` naming it, its size and the limit). */
export async function checkFileSize(path: string, maxBytes: number, label = basename(path), what = 'file'): Promise<number> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InputFileError(label, 'unreadable', `the ${what} is not a regular file`);
    size = s.size;
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(label, 'unreadable', `cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (size > maxBytes) throw tooLarge(label, what, size, maxBytes);
  return size;
}

function tooLarge(label: string, what: string, size: number, limit: number): InputFileError {
  return new InputFileError(label, 'too-large',
    `the ${what} is ${size} bytes (${formatMiB(size)}), above the limit of ${limit} bytes (${formatMiB(limit)}); refused without reading it`,
    size, limit);
}

/** Streams a CSV file into `parser` (see the module comment); returns its result, hash and size. */
export async function streamCsvFile<T>(path: string, parser: RecordParser<T>, options: StreamCsvOptions = {}): Promise<StreamedCsv<T>> {
  const label = options.label ?? basename(path);
  const what = options.what ?? 'file';
  const maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
  await checkFileSize(path, maxBytes, label, what);
  const hash = createHash('sha256');
  const decoder = new TextDecoder('utf-8', { fatal: options.utf8 === 'strict' });
  const chunker = new CsvChunker(options.maxRecordChars === undefined ? {} : { maxRecordChars: options.maxRecordChars });
  let bytes = 0;
  const decode = (chunk?: Buffer): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new InputFileError(label, 'not-utf8', `the ${what} is not valid UTF-8 (in the bytes ${bytes - (chunk?.length ?? 0)} to ${bytes})`);
    }
  };
  // one buffer, reused for every chunk (decoding copies it into a string, hashing consumes it at once)
  const buffer = Buffer.allocUnsafe(options.chunkBytes ?? 1 << 16);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      bytes += bytesRead;
      if (bytes > maxBytes) throw tooLarge(label, what, bytes, maxBytes);
      hash.update(chunk);
      parser.push(chunker.push(decode(chunk)));
    }
  } catch (e) {
    // a read error (it has an errno code); anything else is not about the file and is rethrown
    if (e instanceof InputFileError || typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    throw new InputFileError(label, 'unreadable', `cannot read the ${what} (${(e as NodeJS.ErrnoException).code})`);
  } finally {
    await handle?.close();
  }
  parser.push(chunker.push(decode()));
  parser.push(chunker.end());
  return { result: parser.finish(), sha256: hash.digest('hex'), bytes };
}
