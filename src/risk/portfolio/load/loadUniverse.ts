/**
 * Loads the instrument universe of a Deribit snapshot (fs I/O): the option snapshot CSV and, from the same folder,
 * `term_futures_marks.csv` and `perpetual_futures_prices.csv` filtered to that snapshot (by `snapshot_file`), through
 * the market layer's pure parsers. Parse failures of other rows are ignored; a file that cannot be read rejects.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseDeribitSnapshotCsv, parsePerpetualFuturesCsv, parseTermFuturesCsv } from '../../../market/index.ts';
import { instrumentUniverse, type InstrumentUniverse } from '../synthetic/universe.ts';

/** Universe of the snapshot file `snapshotPath` for `coins` (default BTC and ETH). */
export async function loadSnapshotUniverse(snapshotPath: string, coins: readonly string[] = ['BTC', 'ETH']): Promise<InstrumentUniverse> {
  const dir = dirname(snapshotPath);
  const file = basename(snapshotPath);
  const [snap, term, perp] = await Promise.all([
    readFile(snapshotPath, 'utf8'),
    readFile(join(dir, 'term_futures_marks.csv'), 'utf8'),
    readFile(join(dir, 'perpetual_futures_prices.csv'), 'utf8'),
  ]);
  const quotes = parseDeribitSnapshotCsv(snap, { file }).rows;
  const futures = parseTermFuturesCsv(term, { file: 'term_futures_marks.csv' }).rows.filter((f) => f.snapshotFile === file);
  const perps = parsePerpetualFuturesCsv(perp, { file: 'perpetual_futures_prices.csv' }).rows.filter((f) => f.snapshotFile === file);
  return instrumentUniverse(quotes, futures, perps, coins);
}
