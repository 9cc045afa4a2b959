/** File reading shared by the loaders (I/O lives only under src/market/load/). */

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** Reads a UTF-8 text file; returns its text and the label (base name) that goes into parse failures. */
export async function readTextFile(path: string): Promise<{ text: string; file: string }> {
  const text = await readFile(path, 'utf8');
  return { text, file: basename(path) };
}
