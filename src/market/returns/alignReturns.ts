/**
 * Log returns aligned across assets by date (pure). The calendar is the union of the assets' close dates; a row
 * is a return date. Nothing is forward-filled: a return needs the asset's close on the row's date and on the
 * previous calendar date, otherwise the cell is a gap, reported and either dropped with its row or kept as NaN
 * (`options.gaps`, required). Incident windows are then applied to the surviving rows (see `applyWindows`).
 * Conventions are in `types.ts`.
 */
import { MarketInputError } from '../errors.ts';
import type { PriceSeries } from '../prices/series.ts';
import { MS_PER_DAY, parseDateOnlyUtc } from '../time.ts';
import type {
  AlignedReturns,
  AssetCoverage,
  CalendarGapPolicy,
  GapPolicy,
  ReturnGap,
  WindowTreatment,
} from './types.ts';
import { applyWindows, validateWindows } from './windows.ts';

/** Options of {@link alignLogReturns}. */
export interface AlignReturnsOptions {
  /** Gap policy (required: the choice is never implicit). */
  readonly gaps: GapPolicy;
  /** Rows spanning a date missing for every asset: kept as a multi-day return (default) or dropped; reported either way. */
  readonly calendarGaps?: CalendarGapPolicy;
  /** Assets (columns) in order; default: every series, in the given order. */
  readonly assets?: readonly string[];
  /** First return date kept (`YYYY-MM-DD`, inclusive); the close of the previous calendar date is still used. */
  readonly from?: string;
  /** Last return date kept (`YYYY-MM-DD`, inclusive). */
  readonly to?: string;
  /** Incident windows and their treatment, applied in order after the gap policy. */
  readonly windows?: readonly WindowTreatment[];
}

function dayMs(date: string, field: string): number {
  const ms = parseDateOnlyUtc(date);
  if (ms === null) throw new MarketInputError(field, date, 'expected a YYYY-MM-DD calendar date');
  return ms;
}

/**
 * Aligns the series' closes on the union calendar and returns natural-log returns (rows = return dates oldest
 * first, columns = assets), with weights, tags, the gaps found, the excluded rows and the stress periods.
 * @throws MarketInputError for an unknown asset, a bad date option, a bad window, or fewer than 2 calendar dates.
 */
export function alignLogReturns(series: readonly PriceSeries[], options: AlignReturnsOptions): AlignedReturns {
  if (options === null || typeof options !== 'object') throw new MarketInputError('options', options, 'expected an options object');
  const gaps = options.gaps;
  if (gaps !== 'drop-row' && gaps !== 'keep-nan') throw new MarketInputError('options.gaps', gaps, "expected 'drop-row' or 'keep-nan'");
  const calendarGaps = options.calendarGaps ?? 'keep';
  if (calendarGaps !== 'keep' && calendarGaps !== 'drop-row') {
    throw new MarketInputError('options.calendarGaps', calendarGaps, "expected 'keep' or 'drop-row'");
  }
  const fromMs = options.from === undefined ? -Infinity : dayMs(options.from, 'options.from');
  const toMs = options.to === undefined ? Infinity : dayMs(options.to, 'options.to');
  const windows = validateWindows(options.windows ?? []);

  const byAsset = new Map(series.map((s) => [s.asset, s]));
  const assets = options.assets === undefined ? series.map((s) => s.asset) : [...options.assets];
  if (assets.length === 0) throw new MarketInputError('options.assets', assets, 'no asset to align');
  assets.forEach((a, j) => {
    if (!byAsset.has(a)) throw new MarketInputError(`options.assets[${j}]`, a, 'no price series for this asset');
    if (assets.indexOf(a) !== j) throw new MarketInputError(`options.assets[${j}]`, a, 'asset listed twice');
  });
  const cols = assets.length;
  const chosen = assets.map((a) => byAsset.get(a) as PriceSeries);

  // union calendar
  const calendarSet = new Set<string>();
  for (const s of chosen) for (const d of s.dates) calendarSet.add(d);
  const calendar = [...calendarSet].sort();
  const nCal = calendar.length;
  if (nCal < 2) throw new MarketInputError('series', nCal, 'need at least 2 calendar dates to form a return');
  const calMs = new Float64Array(nCal);
  calendar.forEach((d, c) => {
    calMs[c] = dayMs(d, `series date`);
  });

  // closes on the calendar (NaN where the asset has no close)
  const prices = new Float64Array(nCal * cols).fill(Number.NaN);
  const coverage: AssetCoverage[] = [];
  const firstIdx = new Int32Array(cols);
  const lastIdx = new Int32Array(cols);
  chosen.forEach((s, j) => {
    let c = 0;
    for (let i = 0; i < s.dates.length; i++) {
      const d = s.dates[i] as string;
      while (calendar[c] !== d) c++;
      prices[c * cols + j] = s.closes[i] as number;
    }
    firstIdx[j] = calendar.indexOf(s.dates[0] as string);
    lastIdx[j] = calendar.indexOf(s.dates[s.dates.length - 1] as string);
    coverage.push(Object.freeze({ asset: s.asset, firstDate: s.dates[0] as string, lastDate: s.dates[s.dates.length - 1] as string, closes: s.dates.length }));
  });

  const keptDates: string[] = [];
  const keptCal: number[] = [];
  const keptSpan: number[] = [];
  const keptTags: string[][] = [];
  const values: number[] = [];
  const gapList: ReturnGap[] = [];
  // outside-coverage ranges per asset, merged as rows are scanned
  const outside: Array<{ date: string; toDate: string; rows: number } | undefined> = new Array(cols).fill(undefined);
  const outsideDone: ReturnGap[] = [];
  const action = gaps === 'drop-row' ? 'dropped' : 'kept-nan';
  const flushOutside = (j: number): void => {
    const o = outside[j];
    if (o !== undefined) {
      outsideDone.push(Object.freeze({ kind: 'outside-coverage', date: o.date, toDate: o.toDate, rows: o.rows, assets: Object.freeze([assets[j] as string]), action }));
      outside[j] = undefined;
    }
  };
  const row = new Float64Array(cols);
  for (let c = 1; c < nCal; c++) {
    const ms = calMs[c] as number;
    if (ms < fromMs || ms > toMs) continue;
    const date = calendar[c] as string;
    const span = Math.round(((calMs[c] as number) - (calMs[c - 1] as number)) / MS_PER_DAY);
    const tags: string[] = [];
    if (span > 1) {
      gapList.push(Object.freeze({
        kind: 'calendar', date, toDate: date, rows: 1, assets: Object.freeze([...assets]), spanDays: span,
        action: calendarGaps === 'keep' ? 'kept-span' : 'dropped',
      }));
      if (calendarGaps === 'drop-row') continue;
      tags.push('calendar-gap');
    }
    const missingInside: string[] = [];
    let missing = 0;
    for (let j = 0; j < cols; j++) {
      const p0 = prices[(c - 1) * cols + j] as number;
      const p1 = prices[c * cols + j] as number;
      const r = Math.log(p1 / p0);
      row[j] = r;
      if (Number.isNaN(r)) {
        missing++;
        if (c - 1 < (firstIdx[j] as number) || c > (lastIdx[j] as number)) {
          const o = outside[j];
          if (o === undefined) outside[j] = { date, toDate: date, rows: 1 };
          else {
            o.toDate = date;
            o.rows++;
          }
        } else {
          flushOutside(j);
          missingInside.push(assets[j] as string);
        }
      } else {
        flushOutside(j);
      }
    }
    if (missingInside.length > 0) {
      gapList.push(Object.freeze({ kind: 'missing-price', date, toDate: date, rows: 1, assets: Object.freeze(missingInside), action }));
    }
    if (missing > 0 && gaps === 'drop-row') continue;
    keptDates.push(date);
    keptCal.push(c);
    keptSpan.push(span);
    keptTags.push(tags);
    for (let j = 0; j < cols; j++) values.push(row[j] as number);
  }
  for (let j = 0; j < cols; j++) flushOutside(j);

  // interval covered by each kept row: (close of previous calendar date, close of its date]
  const intervalStart = keptCal.map((c) => (calMs[c - 1] as number) + MS_PER_DAY);
  const intervalEnd = keptCal.map((c) => (calMs[c] as number) + MS_PER_DAY);
  const applied = applyWindows({ dates: keptDates, intervalStart, intervalEnd, tags: keptTags }, windows);

  const rows = applied.keep.length;
  const returns = new Float64Array(rows * cols);
  const weights = new Float64Array(rows);
  const spanDays = new Int32Array(rows);
  const dates: string[] = [];
  const tags: (readonly string[])[] = [];
  applied.keep.forEach((t, i) => {
    for (let j = 0; j < cols; j++) returns[i * cols + j] = values[t * cols + j] as number;
    weights[i] = applied.weights[t] as number;
    spanDays[i] = keptSpan[t] as number;
    dates.push(keptDates[t] as string);
    tags.push(Object.freeze([...(keptTags[t] as string[])]));
  });

  const order = { 'missing-price': 0, 'outside-coverage': 1, calendar: 2 } as const;
  const allGaps = [...gapList, ...outsideDone].sort((a, b) => (a.kind === b.kind ? (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) : order[a.kind] - order[b.kind]));
  const resolved: AlignedReturns['options'] = {
    gaps,
    calendarGaps,
    ...(options.from === undefined ? {} : { from: options.from }),
    ...(options.to === undefined ? {} : { to: options.to }),
    windows,
  };
  return Object.freeze({
    dates: Object.freeze(dates),
    assets: Object.freeze([...assets]),
    returns,
    weights,
    tags: Object.freeze(tags),
    spanDays,
    gaps: Object.freeze(allGaps),
    excluded: applied.excluded,
    stressPeriods: applied.stressPeriods,
    coverage: Object.freeze(coverage),
    options: Object.freeze(resolved),
  });
}
