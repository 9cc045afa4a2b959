/**
 * Bounded-memory loading of large inputs (issue 10, part 1): the recalibration's CSV inputs are streamed in chunks
 * into their parsers (never read whole), keep at most `failuresKept` failures per file, and files above a size limit
 * are refused before they are read. 100 MB files are generated here and loaded in a child process whose peak RSS is
 * compared with a child loading the normal fixture inputs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecalibrationInputs, RecalibrationInputError } from '../../src/jobs/index.ts';
import { DEFAULT_INPUT_LIMITS } from '../../src/jobs/recalibrate/inputs.ts';
import {
  CsvChunker, cddDailyParser, deribitSnapshotParser, parseCddDailyCsv, parseDeribitSnapshotCsv, tokenizeCsv,
} from '../../src/market/index.ts';
import { streamCsvFile, InputFileError } from '../../src/market/load/index.ts';
import {
  AFTER, BTC_DAILY, largeMarket, loadInChild, MB, remove, ROOT, sparseFile, type ChildReport,
} from './support/large.ts';

const SEED = 20261122;
const INCIDENT = 'fixtures/incidents/2026-02-05-drawdown.json';
const SNAPSHOT = join(ROOT, 'fixtures/market/deribit_2025_2026', AFTER);
const DAILY = join(ROOT, 'fixtures/market/crypto_daily', BTC_DAILY);
/**
 * Peak RSS a 100 MB file may add over loading the fixture inputs. Reading it whole needs at least its 100 MB buffer
 * and its 100 MB string at once (measured: about 1.1 GB more, with the records of the whole text); streamed, the
 * growth is the garbage collector's headroom and does not grow with the file (measured about 90-120 MB for 100 MB and
 * for 300 MB files, scripts/bench/large-input.ts).
 */
const GROWTH_BOUND = 150 * 1048576;

let dir = '';
let control: ChildReport;
const growth = (r: ChildReport): number => r.maxRss - r.rssStart;
const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aftershock-large-'));
  const { market } = await largeMarket(dir, 'control');
  control = await loadInChild(market);
  expect(control.ok, JSON.stringify(control)).toBe(true);
  console.log(`control (fixture inputs): peak RSS ${mb(control.maxRss)}, growth ${mb(growth(control))}, ${control.elapsedMs} ms`);
}, 120_000);
afterAll(() => {
  if (dir !== '') remove(dir);
});

describe('streaming the CSV parsers', () => {
  it('CsvChunker gives the records of tokenizeCsv however the text is cut (quotes, CRLF, CR, BOM, blank lines)', () => {
    const piece = fc.constantFrom('a', 'b,', '"', '""', ',', '\n', '\r\n', '\r', '1.5', ' ', 'é', '\uFEFF');
    fc.assert(fc.property(fc.array(piece, { maxLength: 80 }), fc.array(fc.nat({ max: 400 }), { maxLength: 8 }), (parts, cuts) => {
      const text = parts.join('');
      const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
      const chunker = new CsvChunker();
      const got = [];
      let from = 0;
      for (const c of [...at, text.length]) {
        got.push(...chunker.push(text.slice(from, c)));
        from = c;
      }
      got.push(...chunker.end());
      expect(got).toEqual(tokenizeCsv(text));
    }), { seed: SEED, numRuns: 2000 });
  });

  it('a snapshot and a daily file streamed in 7-byte or 1000-byte chunks parse exactly as the whole text', async () => {
    for (const chunkBytes of [7, 1000]) {
      const snap = await streamCsvFile(SNAPSHOT, deribitSnapshotParser({ file: 's' }), { chunkBytes, utf8: 'strict' });
      expect(snap.result).toEqual(parseDeribitSnapshotCsv(readFileSync(SNAPSHOT, 'utf8'), { file: 's' }));
      const daily = await streamCsvFile(DAILY, cddDailyParser({ file: 'd' }), { chunkBytes });
      expect(daily.result).toEqual(parseCddDailyCsv(readFileSync(DAILY, 'utf8'), { file: 'd' }));
    }
  });

  it('multi-byte characters cut between chunks decode as in the whole text; bytes that are not UTF-8 are an error naming the file', async () => {
    const file = join(dir, 'utf8.csv');
    const lines = readFileSync(SNAPSHOT, 'utf8').split('\n').slice(0, 30);
    lines[5] = lines[5]!.replace('BTC-', 'BTC\u00e9\u20ac\u{1F600}-');
    writeFileSync(file, lines.join('\n'));
    const streamed = await streamCsvFile(file, deribitSnapshotParser({ file: 'u' }), { chunkBytes: 3, utf8: 'strict' });
    expect(streamed.result).toEqual(parseDeribitSnapshotCsv(lines.join('\n'), { file: 'u' }));
    expect(streamed.result.failures[0]).toMatchObject({ line: 6, column: 'instrument_name' });
    writeFileSync(file, Buffer.concat([Buffer.from(lines.slice(0, 3).join('\n')), Buffer.from([0x0a, 0xc3, 0x28, 0x0a])]));
    await expect(streamCsvFile(file, deribitSnapshotParser(), { utf8: 'strict', label: 'market/bad.csv', what: 'option snapshot' }))
      .rejects.toThrow(/^market\/bad\.csv: the option snapshot is not valid UTF-8/);
  });

  it('keeps the first maxFailures failures (file, line, column, reason; long cells cut) and counts the rest', () => {
    const text = readFileSync(SNAPSHOT, 'utf8').split('\n');
    const bad = text.slice(1, 51).map((l, i) => l.replace(/,call,|,put,/, `,${'z'.repeat(i === 0 ? 5000 : 3)},`));
    const parsed = parseDeribitSnapshotCsv([text[0], ...bad, ...text.slice(51)].join('\n'), { file: 'f.csv', maxFailures: 10 });
    expect(parsed.failures).toHaveLength(10);
    expect(parsed.omittedFailures).toBe(40);
    expect(parsed.failures[0]).toMatchObject({ file: 'f.csv', line: 2, column: 'option_type', reason: 'unknown-option-type' });
    expect(parsed.failures[0]!.value!.length).toBeLessThanOrEqual(201);
    expect(parsed.rows.length).toBe(text.length - 2 - 50);
    // without the option every failure is kept and no count is added (the parsers' results are unchanged)
    expect('omittedFailures' in parseDeribitSnapshotCsv(text.join('\n'))).toBe(false);
  });
});

describe('100 MB inputs in a child process', () => {
  const big = async (target: 'snapshot' | 'daily', filler: 'repeated' | 'garbage'): Promise<{ r: ChildReport; bytes: number }> => {
    const t0 = performance.now();
    const m = await largeMarket(dir, `${target}-${filler}`, { target, filler, bytes: 100 * MB });
    const gen = performance.now() - t0;
    try {
      const r = await loadInChild(m.market);
      console.log(`${target} ${filler}: ${(m.bytes / MB).toFixed(1)} MB written in ${gen.toFixed(0)} ms; loaded in ${r.elapsedMs} ms, peak RSS ${mb(r.maxRss)}, growth ${mb(growth(r))} (control ${mb(growth(control))})`);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(growth(r) - growth(control)).toBeLessThan(GROWTH_BOUND);
      return { r, bytes: m.bytes };
    } finally {
      remove(m.market);
    }
  };

  it('an after snapshot of the fixture rows repeated to 100 MB: its 1720 quotes, 1000 duplicate rows kept, the rest counted, bounded RSS', async () => {
    const { r } = await big('snapshot', 'repeated');
    expect(r.quotesAfter).toBe(1720);
    expect(r.failuresAfter).toBe(DEFAULT_INPUT_LIMITS.failuresKept);
    expect(r.omittedAfter).toBeGreaterThan(380_000);
  }, 180_000);

  it('a BTC daily file of garbage, bad cells and duplicate rows to 100 MB: the BTC history intact, failures capped, bounded RSS', async () => {
    const { r } = await big('daily', 'garbage');
    expect(r.btcDays).toBe(3191);
    expect(r.priceFailures).toBe(DEFAULT_INPUT_LIMITS.failuresKept);
    expect(r.priceFailuresOmitted).toBeGreaterThan(300_000);
  }, 180_000);

  it('a snapshot above the size limit (a sparse 1.1 GiB file) is refused before it is read, naming the file, its size and the limit', async () => {
    const { market } = await largeMarket(dir, 'too-large');
    const size = DEFAULT_INPUT_LIMITS.tableBytes + 100 * 1048576;
    sparseFile(join(market, 'deribit', AFTER), size);
    const r = await loadInChild(market);
    console.log(`too large: refused in ${r.elapsedMs} ms, growth ${mb(growth(r))}: ${r.error?.message}`);
    expect(r.ok).toBe(false);
    expect(r.error?.name).toBe('RecalibrationInputError');
    expect(r.error?.message).toContain(`deribit/${AFTER}: the option snapshot is ${size} bytes (1124.0 MiB), above the limit of ${DEFAULT_INPUT_LIMITS.tableBytes} bytes (1024.0 MiB)`);
    // reading 1.1 GiB whole would need over 2 GiB; the refusal costs no more than loading the fixture inputs
    expect(growth(r)).toBeLessThan(growth(control) + 50 * 1048576);
    remove(market);
  }, 120_000);
});

describe('configurable limits (RecalibrationRequest.limits)', () => {
  const load = (limits: Record<string, number>, extra: Record<string, string> = {}) =>
    loadRecalibrationInputs({ root: ROOT, incident: INCIDENT, limits, ...extra });

  it('each kind of file is refused above its own limit, with the file, its size and the limit', async () => {
    await expect(load({ documentBytes: 100 })).rejects.toThrow(/^fixtures\/incidents\/2026-02-05-drawdown\.json: the incident is \d+ bytes \(.* MiB\), above the limit of 100 bytes/);
    await expect(load({ tableBytes: 300_000 })).rejects.toThrow(/^fixtures\/market\/deribit_2025_2026\/deribit_options_snapshot_20260204T213308Z\.csv: the option snapshot is 440091 bytes \(0\.4 MiB\), above the limit of 300000 bytes/);
    const e = await load({ portfolioBytes: 1000 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RecalibrationInputError);
    expect((e as RecalibrationInputError).file).toBe('fixtures/portfolios/fixture-accounts.json');
    expect((e as Error).message).toMatch(/the portfolio file is \d+ bytes .* above the limit of 1000 bytes/);
  }, 60_000);

  it('a portfolio with 1200 bad accounts keeps the first failuresKept and counts the others', async () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: unknown[] };
    const bad = Array.from({ length: 1200 }, (_, i) => ({ id: `BAD-${i}`, desk: 'x', positions: [{ instrument: 'BTC-PERPETUAL', quantity: 'NaN' }] }));
    const file = join(dir, 'bad-accounts.json');
    writeFileSync(file, JSON.stringify({ accounts: [...doc.accounts.slice(0, 20), ...bad] }));
    const inputs = await load({ failuresKept: 50 }, { portfolios: file });
    expect(inputs.accounts).toHaveLength(20);
    expect(inputs.portfolioFailures).toHaveLength(50);
    expect(inputs.portfolioFailures[0]).toMatchObject({ accountIndex: 20, accountId: 'BAD-0', field: 'positions[0].quantity', reason: 'bad-type' });
    expect(inputs.portfolioFailuresOmitted).toBe(1150);
  }, 60_000);

  it('InputFileError carries the size and the limit', async () => {
    const e = await streamCsvFile(SNAPSHOT, deribitSnapshotParser(), { maxBytes: 10 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputFileError);
    expect(e).toMatchObject({ problem: 'too-large', sizeBytes: 444404, limitBytes: 10 });
  });
});
