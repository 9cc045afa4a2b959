/**
 * Loads everything one recalibration reads (I/O; the stages after this are pure): the incident, the recalibration
 * methodology (models/recalibration/<v>.json) and the released models it names, the option-chain snapshots before
 * and after the incident, the perpetual marks, the daily price histories and the portfolios. Every file is hashed
 * (SHA-256 of its bytes) for the run's provenance.
 *
 * Snapshot choice (unless given): `before` = the latest Deribit snapshot taken no later than the incident start plus
 * the methodology's tolerance (the fixture incident starts at its before-snapshot's price time); `after` = the
 * earliest snapshot taken at or after the incident end.
 *
 * Bad input is a RecalibrationInputError naming the file (and row/field where the parser gives one); bad rows of a
 * market file are per-row failures carried to the run (they never stop it), a file that cannot be read or parsed at
 * all stops the run before anything is stored.
 *
 * Bounded memory (`InputLimits`): every file is checked against a size limit before it is read (an error naming the
 * file, its size and the limit); the CSV inputs (option snapshots, perpetual marks, daily prices) are streamed in
 * chunks into their parsers, so a file's text is never held whole; each file keeps its first `failuresKept` bad rows
 * (file, line, column, reason) and counts the rest. JSON documents (incident, methodology, models, portfolio) are
 * parsed whole, within their size limits.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import {
  buildPriceSeries, cddDailyParser, deribitSnapshotParser, perpetualFuturesParser,
  type FuturesMark, type OptionQuote, type ParseFailure, type ParseResult, type PriceSeries, type RecordParser,
} from '../../market/index.ts';
import { checkFileSize, InputFileError, streamCsvFile } from '../../market/load/index.ts';
import { parsePortfolioJson, type Account, type PortfolioFailure } from '../../risk/index.ts';
import { expectValid, validateIncident, type Incident } from '../../scenarios/index.ts';
import { RecalibrationInputError } from './errors.ts';
import { validateRecalibrationModel, type RecalibrationModel } from './model.ts';

/** Where the inputs are; every field has a default relative to `root` (the project directory). */
export interface RecalibrationRequest {
  /** Incident JSON (DESIGN.md §4). */
  readonly incident: string;
  /** Market data directory: Deribit snapshots and perpetual marks (searched recursively), CDD daily CSVs. Default `fixtures/market`. */
  readonly market?: string;
  /** Portfolio JSON. Default `fixtures/portfolios/fixture-accounts.json`. */
  readonly portfolios?: string;
  /** Models directory. Default `models`. */
  readonly models?: string;
  /** Methodology version under models/recalibration/. Default `1.0.0`. */
  readonly methodology?: string;
  /** Snapshot file names to use instead of the automatic choice. */
  readonly beforeSnapshot?: string;
  readonly afterSnapshot?: string;
  /** Seed (recorded; the pipeline's stochastic parts draw from it). Default 1. */
  readonly seed?: number | string;
  /** Base directory of relative paths. Default the current directory. */
  readonly root?: string;
  /** Size limits and kept failures (see `InputLimits`); each field defaults to `DEFAULT_INPUT_LIMITS`. */
  readonly limits?: Partial<InputLimits>;
}

/**
 * Limits that keep loading bounded in memory and time. A file above its size limit is refused before it is read, with
 * a RecalibrationInputError naming the file, its size and the limit.
 */
export interface InputLimits {
  /** Largest CSV input (option snapshot, perpetual marks, one daily price file), bytes; streamed, memory does not grow with it. */
  readonly tableBytes: number;
  /** Largest portfolio JSON, bytes (parsed whole: its text and its accounts are in memory at once). */
  readonly portfolioBytes: number;
  /** Largest other JSON document (incident, methodology, each model), bytes (parsed whole). */
  readonly documentBytes: number;
  /** Bad rows (or bad accounts) kept per file with file, line or index, field and reason; the rest are counted. */
  readonly failuresKept: number;
}

/**
 * Defaults: CSVs up to 1 GiB (a 100 MB snapshot loads in about 70 MB above the fixture run's memory), portfolios up
 * to 512 MiB (the 1M-account book of the batch benchmark is 290 MB), other documents up to 16 MiB, 1000 failures kept
 * per file.
 */
export const DEFAULT_INPUT_LIMITS: InputLimits = Object.freeze({
  tableBytes: 1024 * 1048576, portfolioBytes: 512 * 1048576, documentBytes: 16 * 1048576, failuresKept: 1000,
});

/** One hashed input file (name relative to the root, forward slashes). */
export interface HashedFile {
  readonly name: string;
  readonly sha256: string;
}

/** One parsed snapshot. */
export interface LoadedSnapshot {
  readonly file: string;
  readonly takenAtMs: number;
  readonly quotes: readonly OptionQuote[];
  readonly perpetuals: readonly FuturesMark[];
  /** The snapshot's kept bad rows, then the perpetual file's. */
  readonly failures: readonly ParseFailure[];
  /** Bad rows counted but not kept (beyond `failuresKept` per file). */
  readonly omittedFailures: number;
}

/** Everything the pipeline reads. */
export interface RecalibrationInputs {
  readonly incident: Incident;
  readonly incidentJson: unknown;
  readonly methodology: RecalibrationModel;
  /** Released model JSON by the methodology's key (`incident_policy`, `scenarios`, `margin`, ...). */
  readonly models: Readonly<Record<string, unknown>>;
  /** `family/name@version` by key. */
  readonly modelVersions: Readonly<Record<string, string>>;
  readonly before: LoadedSnapshot;
  readonly after: LoadedSnapshot;
  /** Every perpetual mark of the market directory (the incident replay picks the marks around the window). */
  readonly perpetualMarks: readonly FuturesMark[];
  readonly series: readonly PriceSeries[];
  readonly priceFailures: readonly (ParseFailure | { readonly file: string; readonly reason: string })[];
  /** Bad daily-price rows counted but not kept. */
  readonly priceFailuresOmitted: number;
  readonly accounts: readonly Account[];
  /** The portfolio file's name (relative to the root), the label of its failures. */
  readonly portfolioFile: string;
  /** The first `failuresKept` bad accounts. */
  readonly portfolioFailures: readonly PortfolioFailure[];
  /** Bad accounts counted but not kept. */
  readonly portfolioFailuresOmitted: number;
  readonly files: readonly HashedFile[];
  readonly seed: number | string;
}

const SNAPSHOT = /^deribit_options_snapshot_(\d{8})T(\d{6})Z\.csv$/;

function snapshotTime(name: string): number | null {
  const m = SNAPSHOT.exec(name);
  if (m === null) return null;
  const [d, t] = [m[1] as string, m[2] as string];
  return Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8), +t.slice(0, 2), +t.slice(2, 4), +t.slice(4, 6));
}

async function listFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (e) {
    throw new RecalibrationInputError(dir, `cannot list the market directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
}

/** Reads and hashes inputs within the limits; `files` collects the hashes. */
class Reader {
  readonly files: HashedFile[] = [];
  constructor(readonly root: string, readonly limits: InputLimits) {}
  path(p: string): string {
    return resolve(this.root, p);
  }
  name(abs: string): string {
    return relative(this.root, abs).split('\\').join('/');
  }
  /** A whole document's text (refused above `maxBytes` before reading). */
  async text(abs: string, what: string, maxBytes = this.limits.documentBytes): Promise<string> {
    await this.guard(() => checkFileSize(abs, maxBytes, this.name(abs), what));
    let bytes: Buffer;
    try {
      bytes = await readFile(abs);
    } catch (e) {
      throw new RecalibrationInputError(this.name(abs), `cannot read the ${what} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    this.files.push({ name: this.name(abs), sha256: createHash('sha256').update(bytes).digest('hex') });
    const text = bytes.toString('utf8');
    if (text.includes('\uFFFD')) throw new RecalibrationInputError(this.name(abs), `the ${what} is not valid UTF-8`);
    return text;
  }
  async json(abs: string, what: string): Promise<unknown> {
    const text = await this.text(abs, what);
    try {
      return JSON.parse(text) as unknown;
    } catch (e) {
      throw new RecalibrationInputError(this.name(abs), `the ${what} is not JSON: ${(e as Error).message}`);
    }
  }
  /** A CSV streamed into `parser` (bounded memory; see the module comment). */
  async table<T>(abs: string, what: string, parser: RecordParser<T>): Promise<ParseResult<T>> {
    const streamed = await this.guard(() => streamCsvFile(abs, parser, { label: this.name(abs), what, maxBytes: this.limits.tableBytes, utf8: 'strict' }));
    this.files.push({ name: this.name(abs), sha256: streamed.sha256 });
    return streamed.result;
  }
  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      if (e instanceof InputFileError) throw new RecalibrationInputError(e.file, e.reason);
      throw e;
    }
  }
}

function chooseSnapshots(
  all: readonly { path: string; takenAtMs: number }[], incident: Incident, toleranceMs: number,
  beforeName: string | undefined, afterName: string | undefined,
): { before: { path: string; takenAtMs: number }; after: { path: string; takenAtMs: number } } {
  const byName = (n: string, which: string) => {
    const s = all.find((x) => basename(x.path) === n);
    if (s === undefined) throw new RecalibrationInputError(n, `the ${which} snapshot is not in the market directory`);
    return s;
  };
  const end = incident.endedAtMs;
  const before = beforeName !== undefined ? byName(beforeName, 'before')
    : [...all].reverse().find((s) => s.takenAtMs <= incident.startedAtMs + toleranceMs);
  const after = afterName !== undefined ? byName(afterName, 'after') : all.find((s) => s.takenAtMs >= end);
  if (before === undefined) throw new RecalibrationInputError('market', `no option-chain snapshot taken before the incident start ${new Date(incident.startedAtMs).toISOString()}`);
  if (after === undefined) throw new RecalibrationInputError('market', `no option-chain snapshot taken after the incident end ${new Date(end).toISOString()}`);
  if (!(after.takenAtMs > before.takenAtMs)) throw new RecalibrationInputError(basename(after.path), 'the after snapshot must be later than the before snapshot');
  return { before, after };
}

/** Loads and hashes every input of a recalibration (see the module comment). */
export async function loadRecalibrationInputs(request: RecalibrationRequest): Promise<RecalibrationInputs> {
  const limits: InputLimits = Object.freeze({ ...DEFAULT_INPUT_LIMITS, ...request.limits });
  const r = new Reader(resolve(request.root ?? '.'), limits);
  const kept = { maxFailures: limits.failuresKept };
  const modelsDir = r.path(request.models ?? 'models');
  const incidentJson = await r.json(r.path(request.incident), 'incident');
  const inc = validateIncident(incidentJson);
  if (!inc.ok) throw new RecalibrationInputError(r.name(r.path(request.incident)), inc.errors.map((e) => `${e.path}: ${e.reason}`).join('; '));
  const methodologyPath = join(modelsDir, 'recalibration', `${request.methodology ?? '1.0.0'}.json`);
  const methodology = expectValid(validateRecalibrationModel(await r.json(methodologyPath, 'methodology')), r.name(methodologyPath));
  const models: Record<string, unknown> = {};
  const modelVersions: Record<string, string> = { recalibration: `recalibration@${methodology.version}` };
  for (const [key, ref] of Object.entries(methodology.models)) {
    const file = join(modelsDir, `${ref}.json`);
    models[key] = await r.json(file, `${key} model`);
    const cut = ref.lastIndexOf('/');
    modelVersions[key] = `${ref.slice(0, cut)}@${ref.slice(cut + 1)}`;
  }

  const marketFiles = await listFiles(r.path(request.market ?? 'fixtures/market'));
  const snapshots = marketFiles.flatMap((p) => {
    const t = snapshotTime(basename(p));
    return t === null ? [] : [{ path: p, takenAtMs: t }];
  }).sort((a, b) => a.takenAtMs - b.takenAtMs);
  const chosen = chooseSnapshots(snapshots, inc.value, methodology.snapshot_tolerance_minutes * 60_000, request.beforeSnapshot, request.afterSnapshot);
  const perpFile = marketFiles.find((p) => basename(p) === 'perpetual_futures_prices.csv');
  if (perpFile === undefined) throw new RecalibrationInputError('market', 'perpetual_futures_prices.csv (perpetual marks matched to the snapshots) is missing');
  const perps = await r.table(perpFile, 'perpetual marks', perpetualFuturesParser({ file: r.name(perpFile), ...kept }));
  const snapshot = async (s: { path: string; takenAtMs: number }): Promise<LoadedSnapshot> => {
    const file = r.name(s.path);
    const parsed = await r.table(s.path, 'option snapshot', deribitSnapshotParser({ file, ...kept }));
    const bad = parsed.failures.length + (parsed.omittedFailures ?? 0);
    if (parsed.rows.length === 0) throw new RecalibrationInputError(file, `no usable quote (${bad} bad rows; first: ${describeFailure(parsed.failures[0])})`);
    return {
      file, takenAtMs: s.takenAtMs, quotes: parsed.rows,
      perpetuals: perps.rows.filter((p) => p.snapshotFile === basename(s.path)),
      failures: [...parsed.failures, ...perps.failures],
      omittedFailures: (parsed.omittedFailures ?? 0) + (perps.omittedFailures ?? 0),
    };
  };
  const before = await snapshot(chosen.before);
  const after = await snapshot(chosen.after);

  const daily = marketFiles.filter((p) => /_d\.csv$/.test(basename(p)));
  if (daily.length === 0) throw new RecalibrationInputError('market', 'no CryptoDataDownload daily price file (*_d.csv)');
  const points = [];
  const priceFailures: (ParseFailure | { file: string; reason: string })[] = [];
  let priceFailuresOmitted = 0;
  for (const p of daily) {
    const parsed = await r.table(p, 'daily prices', cddDailyParser({ file: r.name(p), ...kept }));
    points.push(...parsed.rows);
    priceFailures.push(...parsed.failures);
    priceFailuresOmitted += parsed.omittedFailures ?? 0;
  }
  const built = buildPriceSeries(points);
  for (const f of built.failures) priceFailures.push({ file: 'daily prices', reason: JSON.stringify(f) });

  const portfolioPath = r.path(request.portfolios ?? 'fixtures/portfolios/fixture-accounts.json');
  const portfolio = parsePortfolioJson(await r.text(portfolioPath, 'portfolio file', limits.portfolioBytes), { file: r.name(portfolioPath) });
  const docFailure = portfolio.failures.find((f) => f.accountIndex < 0);
  if (docFailure !== undefined) throw new RecalibrationInputError(docFailure.file, `${docFailure.field || 'document'}: ${docFailure.detail ?? docFailure.reason}`);
  if (portfolio.accounts.length === 0) throw new RecalibrationInputError(r.name(portfolioPath), `no valid account (${portfolio.failures.length} bad; first: ${describePortfolioFailure(portfolio.failures[0])})`);
  const portfolioFailures = portfolio.failures.slice(0, limits.failuresKept);

  return Object.freeze({
    incident: inc.value, incidentJson, methodology, models: Object.freeze(models), modelVersions: Object.freeze(modelVersions),
    before, after, perpetualMarks: perps.rows, series: built.series, priceFailures, priceFailuresOmitted, accounts: portfolio.accounts,
    portfolioFile: r.name(portfolioPath), portfolioFailures, portfolioFailuresOmitted: portfolio.failures.length - portfolioFailures.length,
    files: Object.freeze([...r.files].sort((a, b) => a.name.localeCompare(b.name))), seed: request.seed ?? 1,
  });
}

function describePortfolioFailure(f: PortfolioFailure | undefined): string {
  return f === undefined ? 'none' : `account #${f.accountIndex}${f.accountId === null ? '' : ` (${f.accountId})`} ${f.field || 'account'}: ${f.detail}`;
}

function describeFailure(f: ParseFailure | undefined): string {
  return f === undefined ? 'none' : `line ${f.line} column ${f.column || '-'}: ${f.reason}${f.detail === undefined ? '' : ` (${String(f.detail)})`}`;
}
