/** Builders of the report's sections from the input (pure; see ./buildReportModel.ts). */
import { neumaierSum } from '../../math/index.ts';
import { ReportInputError } from './errors.ts';
import { compareStrings, finite, finiteOrNull, nonNegative, text } from './check.ts';
import { histogramOf } from './histogram.ts';
import type {
  AccountAttributionInput, AccountMarginInput, BacktestInput, CorrelationInput, ScenarioPnlInput, SurfaceInput,
} from './input.ts';
import type {
  ReportAccountMargin, ReportBacktest, ReportBacktestDay, ReportCorrelation, ReportExpirySmile, ReportMargins,
  ReportScenarioPnl, ReportSmileSide, ReportSurface, ReportTermPoint, ReportTopAccount,
} from './types.ts';

const freezeAll = <T>(items: T[]): readonly T[] => Object.freeze(items);

function smileSide(field: string, side: ReportSmileSide | null): ReportSmileSide | null {
  if (side === null) return null;
  const forward = finite(`${field}.forward`, side.forward);
  if (forward <= 0) throw new ReportInputError(`${field}.forward`, forward, 'must be > 0');
  const quotes = side.quotes.map((q, i) => Object.freeze({
    strike: finite(`${field}.quotes[${i}].strike`, q.strike),
    k: finite(`${field}.quotes[${i}].k`, q.k),
    bidVol: finiteOrNull(`${field}.quotes[${i}].bidVol`, q.bidVol),
    askVol: finiteOrNull(`${field}.quotes[${i}].askVol`, q.askVol),
    midVol: nonNegative(`${field}.quotes[${i}].midVol`, q.midVol),
  })).sort((a, b) => a.strike - b.strike);
  const fit = side.fit.map((p, i) => Object.freeze({
    k: finite(`${field}.fit[${i}].k`, p.k),
    strike: finite(`${field}.fit[${i}].strike`, p.strike),
    vol: nonNegative(`${field}.fit[${i}].vol`, p.vol),
  })).sort((a, b) => a.k - b.k);
  return Object.freeze({ forward, quotes: freezeAll(quotes), fit: freezeAll(fit) });
}

/** One underlying's surfaces with expiries and term points sorted by time to expiry (then label). */
export function buildSurface(field: string, input: SurfaceInput): ReportSurface {
  const byTime = (a: { timeYears: number; expiry: string }, b: { timeYears: number; expiry: string }): number =>
    a.timeYears - b.timeYears || compareStrings(a.expiry, b.expiry);
  const expiries: ReportExpirySmile[] = input.expiries.map((e, i) => {
    const f = `${field}.expiries[${i}]`;
    return Object.freeze({
      expiry: text(`${f}.expiry`, e.expiry),
      timeYears: nonNegative(`${f}.timeYears`, e.timeYears),
      before: smileSide(`${f}.before`, e.before),
      after: smileSide(`${f}.after`, e.after),
    });
  }).sort(byTime);
  const termStructure: ReportTermPoint[] = input.termStructure.map((t, i) => {
    const f = `${field}.termStructure[${i}]`;
    return Object.freeze({
      expiry: text(`${f}.expiry`, t.expiry),
      timeYears: nonNegative(`${f}.timeYears`, t.timeYears),
      atmVolBefore: finiteOrNull(`${f}.atmVolBefore`, t.atmVolBefore),
      atmVolAfter: finiteOrNull(`${f}.atmVolAfter`, t.atmVolAfter),
      rr25Before: finiteOrNull(`${f}.rr25Before`, t.rr25Before),
      rr25After: finiteOrNull(`${f}.rr25After`, t.rr25After),
      bf25Before: finiteOrNull(`${f}.bf25Before`, t.bf25Before),
      bf25After: finiteOrNull(`${f}.bf25After`, t.bf25After),
    });
  }).sort(byTime);
  return Object.freeze({
    underlying: text(`${field}.underlying`, input.underlying), expiries: freezeAll(expiries), termStructure: freezeAll(termStructure),
  });
}

function matrix(field: string, m: readonly (readonly number[])[], n: number): readonly (readonly number[])[] {
  if (m.length !== n) throw new ReportInputError(field, m, `must have ${n} rows (one per asset)`);
  return freezeAll(m.map((row, i) => {
    if (row.length !== n) throw new ReportInputError(`${field}[${i}]`, row, `must have ${n} entries`);
    return freezeAll(row.map((v, j) => {
      const x = finite(`${field}[${i}][${j}]`, v);
      if (x < -1 - 1e-9 || x > 1 + 1e-9) throw new ReportInputError(`${field}[${i}][${j}]`, x, 'must be in [-1, 1]');
      return x;
    }));
  }));
}

/** A correlation pair with the largest absolute off-diagonal change. */
export function buildCorrelation(field: string, input: CorrelationInput): ReportCorrelation {
  const assets = freezeAll(input.assets.map((a, i) => text(`${field}.assets[${i}]`, a)));
  const before = matrix(`${field}.before`, input.before, assets.length);
  const after = matrix(`${field}.after`, input.after, assets.length);
  let maxAbsChange = 0;
  for (let i = 0; i < assets.length; i++) {
    for (let j = 0; j < assets.length; j++) {
      if (i !== j) maxAbsChange = Math.max(maxAbsChange, Math.abs((after[i] as number[])[j] as number - ((before[i] as number[])[j] as number)));
    }
  }
  return Object.freeze({ label: text(`${field}.label`, input.label), assets, before, after, maxAbsChange });
}

/** A scenario P&L distribution with its histogram, worst and best outcome. */
export function buildScenarioPnl(field: string, input: ScenarioPnlInput, maxBins: number): ReportScenarioPnl {
  const values: number[] = [];
  for (let i = 0; i < input.values.length; i++) values.push(finite(`${field}.values[${i}]`, input.values[i]));
  if (values.length === 0) throw new ReportInputError(`${field}.values`, values, 'must not be empty');
  return Object.freeze({
    scenarioSet: text(`${field}.scenarioSet`, input.scenarioSet),
    portfolio: text(`${field}.portfolio`, input.portfolio),
    values: freezeAll(values),
    histogram: histogramOf(values, maxBins),
    worst: Math.min(...values),
    best: Math.max(...values),
  });
}

/** All accounts' margins sorted by id, with totals, margin calls and the histogram of the changes. */
export function buildMargins(input: readonly AccountMarginInput[], maxBins: number): ReportMargins {
  const seen = new Set<string>();
  const accounts: ReportAccountMargin[] = input.map((a, i) => {
    const f = `accounts[${i}]`;
    const accountId = text(`${f}.accountId`, a.accountId);
    if (seen.has(accountId)) throw new ReportInputError(`${f}.accountId`, accountId, 'is a duplicate');
    seen.add(accountId);
    const before = nonNegative(`${f}.before`, a.before);
    const after = nonNegative(`${f}.after`, a.after);
    return Object.freeze({
      accountId, desk: text(`${f}.desk`, a.desk), before, after, change: after - before,
      marginCall: nonNegative(`${f}.marginCall`, a.marginCall),
    });
  }).sort((a, b) => compareStrings(a.accountId, b.accountId));
  // compensated sums: totals of many amounts in cents stay at the cent
  const totalBefore = neumaierSum(accounts.map((a) => a.before));
  const totalAfter = neumaierSum(accounts.map((a) => a.after));
  const totalMarginCall = neumaierSum(accounts.map((a) => a.marginCall));
  const accountsWithCall = accounts.filter((a) => a.marginCall > 0).length;
  return Object.freeze({
    accounts: freezeAll(accounts), totalBefore, totalAfter, totalChange: totalAfter - totalBefore,
    accountsWithCall, totalMarginCall, changeHistogram: histogramOf(accounts.map((a) => a.change), maxBins),
  });
}

/**
 * The `count` accounts with the largest margin increase among those with an attribution (ties by id), each
 * checked: its effects must sum to its change within one cent.
 */
export function buildTopAccounts(
  margins: ReportMargins, attributions: readonly AccountAttributionInput[], count: number,
): readonly ReportTopAccount[] {
  const byId = new Map(margins.accounts.map((a) => [a.accountId, a] as const));
  const rows: ReportTopAccount[] = attributions.map((at, i) => {
    const f = `attributions[${i}]`;
    const m = byId.get(at.accountId);
    if (m === undefined) throw new ReportInputError(`${f}.accountId`, at.accountId, 'has no margin in accounts');
    const effects = freezeAll(at.effects.map((e, j) => Object.freeze({
      name: text(`${f}.effects[${j}].name`, e.name), amount: finite(`${f}.effects[${j}].amount`, e.amount),
    })));
    const sum = effects.reduce((s, e) => s + e.amount, 0);
    if (Math.abs(sum - m.change) > 0.01 + 1e-12 * Math.abs(m.change)) {
      throw new ReportInputError(`${f}.effects`, sum, `must sum to the account's change ${m.change}`);
    }
    return Object.freeze({
      accountId: m.accountId, desk: m.desk, before: m.before, after: m.after, change: m.change, effects,
      worstScenario: Object.freeze({
        name: text(`${f}.worstScenario.name`, at.worstScenario.name), pnl: finite(`${f}.worstScenario.pnl`, at.worstScenario.pnl),
      }),
      drivers: freezeAll(at.drivers.map((d, j) => Object.freeze({
        instrument: text(`${f}.drivers[${j}].instrument`, d.instrument), pnl: finite(`${f}.drivers[${j}].pnl`, d.pnl),
      })).sort((a, b) => a.pnl - b.pnl || compareStrings(a.instrument, b.instrument))),
    });
  });
  rows.sort((a, b) => b.change - a.change || compareStrings(a.accountId, b.accountId));
  return freezeAll(rows.slice(0, count));
}

/** One calibration's backtest; exception flags are checked against loss > margin day by day. */
export function buildBacktest(field: string, input: BacktestInput): ReportBacktest {
  const n = input.dates.length;
  for (const [name, arr] of [['margin', input.margin], ['pnl', input.pnl], ['exceptions', input.exceptions]] as const) {
    if (arr.length !== n) throw new ReportInputError(`${field}.${name}`, arr.length, `length must equal dates.length ${n}`);
  }
  const days: ReportBacktestDay[] = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    const margin = nonNegative(`${field}.margin[${i}]`, input.margin[i]);
    const pnl = finite(`${field}.pnl[${i}]`, input.pnl[i]);
    const exception = input.exceptions[i] === true;
    if (exception !== -pnl > margin) throw new ReportInputError(`${field}.exceptions[${i}]`, input.exceptions[i], 'must equal loss > margin');
    if (exception) x++;
    days.push(Object.freeze({ date: text(`${field}.dates[${i}]`, input.dates[i]), margin, pnl, exception }));
  }
  const t = input.tests;
  const f = `${field}.tests`;
  const coverage = finite(`${field}.coverage`, input.coverage);
  if (!(coverage > 0 && coverage < 1)) throw new ReportInputError(`${field}.coverage`, coverage, 'must be in (0, 1)');
  if (t.zone !== 'green' && t.zone !== 'yellow' && t.zone !== 'red') throw new ReportInputError(`${f}.zone`, t.zone, "must be 'green', 'yellow' or 'red'");
  return Object.freeze({
    calibration: text(`${field}.calibration`, input.calibration),
    coverage,
    horizonDays: nonNegative(`${field}.horizonDays`, input.horizonDays),
    days: freezeAll(days),
    tests: Object.freeze({
      observations: n,
      exceptions: x,
      expectedExceptions: nonNegative(`${f}.expectedExceptions`, t.expectedExceptions),
      kupiecLr: finiteOrNull(`${f}.kupiecLr`, t.kupiecLr),
      kupiecP: finiteOrNull(`${f}.kupiecP`, t.kupiecP),
      kupiecExactP: finiteOrNull(`${f}.kupiecExactP`, t.kupiecExactP),
      christoffersenLr: finiteOrNull(`${f}.christoffersenLr`, t.christoffersenLr),
      christoffersenP: finiteOrNull(`${f}.christoffersenP`, t.christoffersenP),
      conditionalCoverageLr: finiteOrNull(`${f}.conditionalCoverageLr`, t.conditionalCoverageLr),
      conditionalCoverageP: finiteOrNull(`${f}.conditionalCoverageP`, t.conditionalCoverageP),
      zone: t.zone,
      coverageRatio: n > 0 ? (n - x) / n : null,
    }),
  });
}
