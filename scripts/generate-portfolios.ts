/**
 * Seeded synthetic portfolios on the real instruments of a Deribit snapshot (DESIGN.md §4 "Portfolios").
 *
 *   npx tsx scripts/generate-portfolios.ts                       # the fixture: 3000 accounts, seed 20260204
 *   npx tsx scripts/generate-portfolios.ts --accounts 1000000 --positions 10 --out /tmp/book-1m.json   # benchmark book
 *
 * Options: --snapshot <csv> (default fixtures/market/deribit_2025_2026/deribit_options_snapshot_20260204T213308Z.csv,
 * the last chain before the 2026-02-05 drawdown; futures and perpetual marks come from the same folder), --seed <n>,
 * --accounts <n>, --positions <n> (exactly n positions per account, strategies stacked), --out <file> (default
 * fixtures/portfolios/fixture-accounts.json). The document is written one account per line (streamed, so a million
 * accounts never sit in memory) and is identical byte for byte for the same seed and snapshot. Benchmark books are
 * not committed; scripts/bench/margin.ts generates its book in memory with `generateBook` instead.
 */
import { createWriteStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  accountStream, formatAccountLine, formatPortfolioHeader, parsePortfolioJson, type InstrumentUniverse, type SyntheticBookOptions,
} from '../src/risk/index.ts';
import { loadSnapshotUniverse } from '../src/risk/portfolio/load/index.ts';

const ROOT = join(import.meta.dirname, '..');
/** The fixture's snapshot, seed and size. */
export const FIXTURE_SNAPSHOT = 'fixtures/market/deribit_2025_2026/deribit_options_snapshot_20260204T213308Z.csv';
export const FIXTURE_SEED = 20260204;
export const FIXTURE_ACCOUNTS = 3000;
export const FIXTURE_FILE = 'fixtures/portfolios/fixture-accounts.json';

/** Command-line arguments (defaults: the fixture). */
export interface GeneratePortfoliosArgs {
  readonly snapshot: string;
  readonly seed: number;
  readonly accounts: number;
  readonly positions: number | undefined;
  readonly out: string;
}

/** The fixture's arguments. */
export const FIXTURE_ARGS: GeneratePortfoliosArgs = Object.freeze({
  snapshot: FIXTURE_SNAPSHOT, seed: FIXTURE_SEED, accounts: FIXTURE_ACCOUNTS, positions: undefined, out: FIXTURE_FILE,
});

function parseArgs(argv: readonly string[]): GeneratePortfoliosArgs {
  const get = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (flag: string, fallback: number | undefined): number | undefined => {
    const v = get(flag);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${flag}: expected a non-negative integer, got ${v}`);
    return n;
  };
  return {
    snapshot: get('--snapshot') ?? FIXTURE_SNAPSHOT,
    seed: num('--seed', FIXTURE_SEED) as number,
    accounts: num('--accounts', FIXTURE_ACCOUNTS) as number,
    positions: num('--positions', undefined),
    out: get('--out') ?? FIXTURE_FILE,
  };
}

/** Generator options of the arguments. */
export function syntheticOptions(args: GeneratePortfoliosArgs): SyntheticBookOptions {
  return { seed: args.seed, accounts: args.accounts, ...(args.positions === undefined ? {} : { positionsPerAccount: args.positions }) };
}

/** The document metadata written before the accounts: what was generated from what, and the command to redo it. */
export function portfolioMeta(args: GeneratePortfoliosArgs, universe: InstrumentUniverse): Record<string, unknown> {
  const command = `npx tsx scripts/generate-portfolios.ts --seed ${args.seed} --accounts ${args.accounts}${args.positions === undefined ? '' : ` --positions ${args.positions}`} --snapshot ${args.snapshot}`;
  return {
    description: 'Synthetic accounts on the real instruments of a Deribit snapshot (seeded; see fixtures/portfolios/SOURCE.md)',
    asOf: new Date(universe.asOfMs).toISOString(),
    snapshot: basename(args.snapshot),
    seed: args.seed,
    generator: 'scripts/generate-portfolios.ts',
    command,
  };
}

/**
 * Writes the portfolio document for `args` to `out` (streamed, one account per line) and returns its SHA-256 and
 * size. The header records the snapshot, seed and command so the file says how to remake it.
 */
export async function writePortfolioFile(args: GeneratePortfoliosArgs): Promise<{ sha256: string; bytes: number; accounts: number }> {
  const universe = await loadSnapshotUniverse(join(ROOT, args.snapshot));
  const options = syntheticOptions(args);
  const header = formatPortfolioHeader(portfolioMeta(args, universe));
  const hash = createHash('sha256');
  const out = createWriteStream(args.out);
  let bytes = 0;
  const write = async (text: string): Promise<void> => {
    hash.update(text);
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  await write(`${header}\n`);
  let count = 0;
  let chunk: string[] = [];
  for (const a of accountStream(universe, options)) {
    count++;
    chunk.push(`${formatAccountLine(a)}${count < args.accounts ? ',' : ''}\n`);
    if (chunk.length === 10_000) {
      await write(chunk.join(''));
      chunk = [];
    }
  }
  await write(chunk.join(''));
  await write(']}\n');
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
  return { sha256: hash.digest('hex'), bytes, accounts: count };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const r = await writePortfolioFile(args);
  // re-read small files through the parser as a check (a million-account file is too large for one string)
  let note = '';
  if (r.bytes < 64 * 1024 * 1024) {
    const parsed = parsePortfolioJson(await readFile(args.out, 'utf8'), { file: basename(args.out) });
    note = `, re-read: ${parsed.accounts.length} accounts, ${parsed.failures.length} failures`;
  }
  console.log(`${args.out}: ${r.accounts} accounts, ${r.bytes} bytes, sha256 ${r.sha256}${note}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
