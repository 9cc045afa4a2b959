/**
 * The recalibration methodology (`models/recalibration/<version>.json`), validated: which released model each stage
 * uses (`<family>/<name>/<version>` paths under models/), the underlyings recalibrated, the maintenance factor
 * (MM = factor x IM), the EWMA decays of the correlation and of the haircut vols, the attribution order, how many
 * top accounts and drivers the report shows, the backtest's FHS MPOR scaling ('moves' or 'pnl'), and the snapshot-time tolerance.
 */
import { Checker, type Validated } from '../../scenarios/index.ts';

/** The validated methodology. */
export interface RecalibrationModel {
  readonly model: 'recalibration';
  readonly version: string;
  readonly models: {
    readonly incident_policy: string;
    readonly scenarios: string;
    /** scenarios/incident-replay: added to the post-incident set when the incident policy asks for a replay. */
    readonly replay: string;
    readonly margin: string;
    readonly backtest_margin: string;
    readonly haircuts: string;
  };
  readonly underlyings: readonly string[];
  readonly maintenance_factor: number;
  readonly correlation: { readonly lambda: number };
  readonly haircut_vol_lambda: number;
  readonly attribution_order: readonly ('surface' | 'scenarios' | 'addOns')[];
  readonly top_accounts: number;
  readonly max_drivers: number;
  readonly backtest: { readonly fhs_mpor_scaling: 'pnl' | 'moves' };
  readonly snapshot_tolerance_minutes: number;
}

const MODEL_KEYS = ['incident_policy', 'scenarios', 'replay', 'margin', 'backtest_margin', 'haircuts'] as const;
const REF = /^[a-z0-9-]+(\/[a-z0-9-]+)?\/\d+\.\d+\.\d+$/;

/** Validates a methodology JSON, reporting every issue with its path. */
export function validateRecalibrationModel(json: unknown): Validated<RecalibrationModel> {
  const c = new Checker();
  const o = c.object(json, '');
  if (o === undefined) return { ok: false, errors: c.issues };
  if (o['model'] !== 'recalibration') c.fail('model', 'must be "recalibration"');
  const version = c.string(o, 'version', 'version');
  if (!/^\d+\.\d+\.\d+$/.test(version)) c.fail('version', 'must be a semver x.y.z');
  const m = c.object(o['models'], 'models') ?? {};
  const models: Record<string, string> = {};
  for (const k of MODEL_KEYS) {
    const ref = c.string(m, k, `models.${k}`);
    if (typeof ref === 'string' && !REF.test(ref)) c.fail(`models.${k}`, 'must be <family>[/<name>]/<x.y.z>');
    models[k] = ref;
  }
  const u = o['underlyings'];
  if (!Array.isArray(u) || u.length === 0 || !u.every((x) => typeof x === 'string' && /^[A-Z0-9]+$/.test(x))) c.fail('underlyings', 'must be a non-empty array of asset codes');
  const mf = c.number(o, 'maintenance_factor', 'maintenance_factor', { exclusiveMin: 0, max: 1 });
  const corr = c.object(o['correlation'], 'correlation') ?? {};
  const lambda = c.number(corr, 'lambda', 'correlation.lambda', { exclusiveMin: 0, exclusiveMax: 1 });
  const hl = c.number(o, 'haircut_vol_lambda', 'haircut_vol_lambda', { exclusiveMin: 0, exclusiveMax: 1 });
  const order = o['attribution_order'];
  const steps = ['surface', 'scenarios', 'addOns'];
  if (!Array.isArray(order) || order.length !== 3 || steps.some((s) => !order.includes(s))) c.fail('attribution_order', 'must list surface, scenarios and addOns once each');
  const top = c.number(o, 'top_accounts', 'top_accounts', { min: 1, integer: true });
  const drivers = c.number(o, 'max_drivers', 'max_drivers', { min: 1, integer: true });
  const bt = c.object(o['backtest'], 'backtest') ?? {};
  const scaling = c.oneOf(bt, 'fhs_mpor_scaling', 'backtest.fhs_mpor_scaling', ['pnl', 'moves'] as const);
  const tol = c.number(o, 'snapshot_tolerance_minutes', 'snapshot_tolerance_minutes', { min: 0 });
  c.noExtraKeys(o, ['model', 'version', 'description', 'source', 'models', 'underlyings', 'maintenance_factor', 'correlation', 'haircut_vol_lambda',
    'attribution_order', 'top_accounts', 'max_drivers', 'backtest', 'snapshot_tolerance_minutes'], '');
  if (c.issues.length > 0) return { ok: false, errors: c.issues };
  return {
    ok: true,
    value: Object.freeze({
      model: 'recalibration', version, models: Object.freeze(models) as RecalibrationModel['models'],
      underlyings: Object.freeze([...(u as string[])]), maintenance_factor: mf, correlation: Object.freeze({ lambda }), haircut_vol_lambda: hl,
      attribution_order: Object.freeze([...(order as RecalibrationModel['attribution_order'])]), top_accounts: top, max_drivers: drivers,
      backtest: Object.freeze({ fhs_mpor_scaling: scaling }), snapshot_tolerance_minutes: tol,
    }),
  };
}
