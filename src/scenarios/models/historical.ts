/**
 * Historical and filtered-historical simulation models (`models/scenarios/historical/<v>.json`,
 * `models/scenarios/filtered-historical/<v>.json`). Pure validators. Lookbacks count return rows (crypto trades
 * every calendar day, so rows are days except across reported calendar gaps); `mpor_days` is the margin period
 * of risk in rows; vols are per row (daily), not annualised.
 */
import type { Validated } from '../errors.ts';
import { Checker, deepFreeze } from './check.ts';

/** A named closed range of return dates (`YYYY-MM-DD`, inclusive). */
export interface NamedPeriod {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/**
 * How a 1-day scenario becomes an `mpor_days`-day one:
 * - `sqrt`: the 1-day log return times sqrt(h) (independent, identically distributed days);
 * - `overlapping`: the sum of h consecutive daily log returns (one scenario per end date, overlapping windows);
 * - `bootstrap` (filtered historical only, seeded): h joint dates drawn with replacement from the lookback, each
 *   day's innovation scaled by a vol that the vol model updates along the path (methods.md §5.1).
 */
export type MporScaling = 'sqrt' | 'overlapping' | 'bootstrap';

/** Per-asset conditional vol model of FHS (see src/correlation: ewmaVolatility, garchVolatility, fitGarch). */
export type FhsVolModel =
  | { readonly model: 'ewma'; readonly lambda: number; readonly init: 'first' | 'sample'; readonly seed_rows?: number }
  | { readonly model: 'garch-fit'; readonly variance_targeting: boolean }
  | { readonly model: 'garch'; readonly omega: number; readonly alpha: number; readonly beta: number; readonly initial_variance: 'sample' | 'unconditional' };

/** A validated historical-simulation model. */
export interface HistoricalModel {
  readonly model: 'scenarios/historical';
  readonly version: string;
  readonly description: string;
  readonly lookback_days: number;
  readonly mpor_days: number;
  readonly mpor_scaling: 'sqrt' | 'overlapping';
  /** Always included (rows up to the as-of date), even outside the lookback. */
  readonly stress_periods: readonly NamedPeriod[];
}

/** A validated filtered-historical-simulation model. */
export interface FilteredHistoricalModel {
  readonly model: 'scenarios/filtered-historical';
  readonly version: string;
  readonly description: string;
  readonly vol_model: FhsVolModel;
  readonly lookback_days: number;
  readonly mpor_days: number;
  readonly mpor_scaling: MporScaling;
  /** Number of paths for `bootstrap`. */
  readonly bootstrap_paths: number;
  /** Stress-period rows as raw historical moves (`raw`) or devolatilised and revolatilised like the lookback (`filtered`). */
  readonly stress_scaling: 'raw' | 'filtered';
  readonly stress_periods: readonly NamedPeriod[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function periods(c: Checker, root: Record<string, unknown>): NamedPeriod[] {
  const names = new Set<string>();
  return c.array(root, 'stress_periods', '', false).map((v, i) => {
    const p = `stress_periods[${i}]`;
    const o = c.object(v, p);
    if (o === undefined) return { name: '', from: '', to: '' };
    c.noExtraKeys(o, ['name', 'from', 'to', 'note'], p);
    const name = c.string(o, 'name', p);
    if (names.has(name)) c.fail(`${p}.name`, `duplicate stress period name '${name}'`);
    names.add(name);
    const from = c.string(o, 'from', p);
    const to = c.string(o, 'to', p);
    if (from !== '' && !DATE.test(from)) c.fail(`${p}.from`, `expected YYYY-MM-DD, got '${from}'`);
    if (to !== '' && !DATE.test(to)) c.fail(`${p}.to`, `expected YYYY-MM-DD, got '${to}'`);
    if (DATE.test(from) && DATE.test(to) && to < from) c.fail(`${p}.to`, `ends (${to}) before it starts (${from})`);
    return { name, from, to };
  });
}

/** Validates parsed JSON as a historical-simulation model. */
export function validateHistoricalModel(json: unknown): Validated<HistoricalModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'lookback_days', 'mpor_days', 'mpor_scaling', 'stress_periods'], '');
  const version = c.header(root, 'scenarios/historical');
  const lookback = c.number(root, 'lookback_days', '', { integer: true, min: 1 });
  const mpor = c.number(root, 'mpor_days', '', { integer: true, min: 1, max: 30 });
  if (Number.isFinite(mpor) && Number.isFinite(lookback) && mpor > lookback) c.fail('mpor_days', `must not exceed lookback_days (${lookback})`);
  const scaling = c.oneOf(root, 'mpor_scaling', '', ['sqrt', 'overlapping'] as const);
  const stress = periods(c, root);
  return c.result(() => deepFreeze({
    model: 'scenarios/historical' as const, version, description: root['description'] as string,
    lookback_days: lookback, mpor_days: mpor, mpor_scaling: scaling, stress_periods: stress,
  }));
}

function volModel(c: Checker, value: unknown): FhsVolModel {
  const p = 'vol_model';
  const o = c.object(value, p);
  if (o === undefined) return { model: 'ewma', lambda: Number.NaN, init: 'sample' };
  const kind = c.oneOf(o, 'model', p, ['ewma', 'garch-fit', 'garch'] as const);
  if (kind === 'ewma') {
    c.noExtraKeys(o, ['model', 'lambda', 'init', 'seed_rows'], p);
    const lambda = c.number(o, 'lambda', p, { exclusiveMin: 0, exclusiveMax: 1 });
    const init = c.oneOf(o, 'init', p, ['sample', 'first'] as const, 'sample');
    const seedRows = c.number(o, 'seed_rows', p, { integer: true, min: 1 }, Number.NaN);
    return Number.isNaN(seedRows) ? { model: 'ewma', lambda, init } : { model: 'ewma', lambda, init, seed_rows: seedRows };
  }
  if (kind === 'garch-fit') {
    c.noExtraKeys(o, ['model', 'variance_targeting'], p);
    return { model: 'garch-fit', variance_targeting: o['variance_targeting'] === undefined ? false : c.boolean(o, 'variance_targeting', p) };
  }
  c.noExtraKeys(o, ['model', 'omega', 'alpha', 'beta', 'initial_variance'], p);
  const omega = c.number(o, 'omega', p, { exclusiveMin: 0 });
  const alpha = c.number(o, 'alpha', p, { min: 0 });
  const beta = c.number(o, 'beta', p, { min: 0 });
  if (alpha + beta >= 1) c.fail(`${p}.beta`, `alpha + beta must be < 1, got ${alpha + beta}`);
  const initial = c.oneOf(o, 'initial_variance', p, ['sample', 'unconditional'] as const, 'sample');
  return { model: 'garch', omega, alpha, beta, initial_variance: initial };
}

/** Validates parsed JSON as a filtered-historical-simulation model. */
export function validateFilteredHistoricalModel(json: unknown): Validated<FilteredHistoricalModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'vol_model', 'lookback_days', 'mpor_days', 'mpor_scaling', 'bootstrap_paths', 'stress_scaling', 'stress_periods'], '');
  const version = c.header(root, 'scenarios/filtered-historical');
  const vm = volModel(c, root['vol_model']);
  const lookback = c.number(root, 'lookback_days', '', { integer: true, min: 2 });
  const mpor = c.number(root, 'mpor_days', '', { integer: true, min: 1, max: 30 });
  if (Number.isFinite(mpor) && Number.isFinite(lookback) && mpor > lookback) c.fail('mpor_days', `must not exceed lookback_days (${lookback})`);
  const scaling = c.oneOf(root, 'mpor_scaling', '', ['sqrt', 'overlapping', 'bootstrap'] as const);
  const paths = c.number(root, 'bootstrap_paths', '', { integer: true, min: 1, max: 1_000_000 });
  const stressScaling = c.oneOf(root, 'stress_scaling', '', ['raw', 'filtered'] as const);
  const stress = periods(c, root);
  return c.result(() => deepFreeze({
    model: 'scenarios/filtered-historical' as const, version, description: root['description'] as string,
    vol_model: vm, lookback_days: lookback, mpor_days: mpor, mpor_scaling: scaling, bootstrap_paths: paths,
    stress_scaling: stressScaling, stress_periods: stress,
  }));
}
