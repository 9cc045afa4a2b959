/**
 * Large inputs for the bounded-memory tests and benchmark (issue 10): 100 MB market files written fast (one block of
 * about 1 MiB built once, written repeatedly through a stream), market directories that hold them, and a child process
 * (largeChild.ts) that loads a recalibration's inputs and reports its peak RSS, so memory is measured in a process of
 * its own.
 */
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DERIBIT = join(ROOT, 'fixtures/market/deribit_2025_2026');
const DAILY = join(ROOT, 'fixtures/market/crypto_daily');
export const BEFORE = 'deribit_options_snapshot_20260204T213308Z.csv';
export const AFTER = 'deribit_options_snapshot_20260206T093516Z.csv';
export const BTC_DAILY = 'Binance_BTCUSDT_d.csv';
export const MB = 1_000_000;

/** What fills a large file after its head: the fixture's own rows repeated (duplicates), or those mixed with garbage. */
export type Filler = 'repeated' | 'garbage';

/** Deterministic garbage lines: wrong field counts, non-numbers, NaN / Infinity cells, stray quotes, binary-ish text. */
function garbageLines(sample: string, n: number, seed: number): string[] {
  const cells = sample.split(',');
  let x = (0x9e3779b9 ^ (seed * 2654435761)) >>> 0 || 1;
  const next = () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = [...cells];
    switch (next() % 6) {
      case 0: c.splice(next() % c.length, 1); break; // a field missing
      case 1: c[next() % c.length] = 'NaN'; break;
      case 2: c[next() % c.length] = '-Infinity'; break;
      case 3: c[next() % c.length] = `"unterminated ${next()}`; c.length = Math.min(c.length, 3); break;
      case 4: c[next() % c.length] = 'x'.repeat(1 + (next() % 400)); break;
      default: c.push('extra', String(next())); break;
    }
    out.push(c.join(','));
  }
  return out;
}

/**
 * Writes `head` (complete lines) and then filler lines up to `bytes`: `repeated` repeats `rows` (every copy after the
 * first is a duplicate key), `garbage` interleaves each row with a garbage line. Returns the size written.
 */
export async function writeLargeCsv(path: string, head: string, rows: readonly string[], bytes: number, filler: Filler): Promise<number> {
  const lines = filler === 'repeated' ? rows : rows.flatMap((r, i) => [...garbageLines(r, 1 + (i % 2), i + 1), r]);
  let block = `${lines.join('\n')}\n`;
  while (block.length < 1 << 20) block += block;
  const buffer = Buffer.from(block, 'utf8');
  const out = createWriteStream(path);
  const write = (b: Buffer | string) => new Promise<void>((res, rej) => out.write(b, (e) => (e ? rej(e) : res())));
  await write(head);
  let written = Buffer.byteLength(head);
  while (written + buffer.length <= bytes) {
    await write(buffer);
    written += buffer.length;
  }
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return written;
}

/** The header line and the data lines of a fixture CSV (CDD files: the banner and the header are the head). */
function splitFixture(path: string, headLines: number): { head: string; rows: string[] } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  return { head: `${lines.slice(0, headLines).join('\n')}\n`, rows: lines.slice(headLines) };
}

/** Which file of the market directory is made large. */
export type LargeTarget = 'snapshot' | 'daily';

/**
 * A copy of the incident's market data under `dir/name` (the two snapshots, the perpetual marks, the daily history);
 * with `large`, the after snapshot or the BTC daily file is rewritten to about `bytes`: its own content first, then
 * filler. Returns the directory and the large file's size.
 */
export async function largeMarket(dir: string, name: string, large?: { target: LargeTarget; filler: Filler; bytes: number }): Promise<{ market: string; bytes: number }> {
  const market = join(dir, name);
  mkdirSync(join(market, 'deribit'), { recursive: true });
  cpSync(DAILY, join(market, 'crypto_daily'), { recursive: true });
  for (const f of [BEFORE, AFTER, 'perpetual_futures_prices.csv']) cpSync(join(DERIBIT, f), join(market, 'deribit', f));
  if (large === undefined) return { market, bytes: 0 };
  const [src, dst, headLines] = large.target === 'snapshot'
    ? [join(DERIBIT, AFTER), join(market, 'deribit', AFTER), 1] as const
    : [join(DAILY, BTC_DAILY), join(market, 'crypto_daily', BTC_DAILY), 2] as const;
  const { head, rows } = splitFixture(src, headLines);
  const bytes = await writeLargeCsv(dst, `${head}${rows.join('\n')}\n`, rows, large.bytes, large.filler);
  return { market, bytes };
}

/** Makes `path` a sparse file of `bytes` (no data written: any read of it would take time and memory). */
export function sparseFile(path: string, bytes: number): void {
  writeFileSync(path, '');
  truncateSync(path, bytes);
}

/** What the child reports. */
export interface ChildReport {
  readonly ok: boolean;
  /** RSS after imports, before loading, bytes. */
  readonly rssStart: number;
  /** Peak RSS of the process (resourceUsage().maxRSS), bytes. */
  readonly maxRss: number;
  readonly elapsedMs: number;
  readonly error?: { readonly name: string; readonly message: string };
  readonly quotesAfter?: number;
  readonly failuresAfter?: number;
  readonly omittedAfter?: number;
  readonly priceFailures?: number;
  readonly priceFailuresOmitted?: number;
  readonly btcDays?: number;
}

/** Loads a recalibration's inputs with `market` in a child process (largeChild.ts); resolves with its report. */
export function loadInChild(market: string, extra: Record<string, unknown> = {}, timeoutMs = 120_000): Promise<ChildReport> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/reliability/support/largeChild.ts'), JSON.stringify({ market, ...extra })], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((res, rej) => {
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        res(JSON.parse(line) as ChildReport);
      } catch {
        rej(new Error(`child exited ${code}: ${out}\n${err}`));
      }
    });
  });
}

/** Removes a path (files or directories). */
export function remove(path: string): void {
  rmSync(path, { recursive: true, force: true });
}
