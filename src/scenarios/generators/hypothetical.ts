/**
 * Hypothetical named stresses from `models/scenarios/hypothetical` (pure, deterministic); the template types are
 * described in `models/hypothetical.ts`. The set's underlyings are `options.underlyings` followed by the
 * stablecoins named by `depeg` stresses; a stablecoin stays at its peg (return 0, vol unchanged) in every other
 * scenario. Ids are `<stress id>` or `<stress id>:<asset>[:up|:down]`; tags `hypothetical:<stress id>` and
 * `affected:<asset>` for the assets a stress targets. Weight 1 (`pnl-fraction`: the full loss counts).
 */
import { ScenarioInputError, expectValid } from '../errors.ts';
import { validateHypotheticalModel, type HypotheticalModel } from '../models/hypothetical.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioDraft, ScenarioSet, VolShiftRule } from '../types.ts';
import { NO_VOL_SHIFT } from '../volShift.ts';

/** Options of {@link hypotheticalScenarios}. */
export interface HypotheticalOptions {
  readonly underlyings: readonly string[];
  /** Assets a `target: "affected"` stress hits (e.g. the incident's affected underlyings); default all underlyings. */
  readonly affected?: readonly string[];
  /** Daily vol per underlying (decimal) for `common-move` stresses. */
  readonly dailyVolatility?: Readonly<Record<string, number>>;
  /** Set id; default `hypothetical:<underlyings joined by +>`. */
  readonly id?: string;
}

const parallel = (shift: number): VolShiftRule => (shift === 0 ? NO_VOL_SHIFT : Object.freeze({ kind: 'parallel', shift }));

/** The hypothetical scenario set; see the module comment. */
export function hypotheticalScenarios(model: HypotheticalModel, options: HypotheticalOptions): ScenarioSet {
  const m = expectValid(validateHypotheticalModel(model), 'scenarios/hypothetical');
  if (!Array.isArray(options.underlyings) || options.underlyings.length === 0) {
    throw new ScenarioInputError('underlyings', options.underlyings, 'expected at least one underlying');
  }
  const stable = new Set(m.stresses.flatMap((s) => (s.type === 'depeg' ? [s.stablecoin] : [])));
  const underlyings = [...options.underlyings, ...[...stable].filter((s) => !options.underlyings.includes(s))];
  const risky = underlyings.filter((u) => !stable.has(u));
  (options.affected ?? []).forEach((a, k) => {
    if (!underlyings.includes(a)) throw new ScenarioInputError(`affected[${k}]`, a, 'not one of the underlyings');
  });
  const drafts: ScenarioDraft[] = [];
  const skipped: Array<{ stress: string; reason: string }> = [];
  const vectors = (f: (u: string) => [number, VolShiftRule]): { spotReturns: number[]; volShifts: VolShiftRule[] } => {
    const pairs = underlyings.map((u) => (stable.has(u) ? ([0, NO_VOL_SHIFT] as [number, VolShiftRule]) : f(u)));
    return { spotReturns: pairs.map((p) => p[0]), volShifts: pairs.map((p) => p[1]) };
  };
  for (const s of m.stresses) {
    const tag = `hypothetical:${s.id}`;
    switch (s.type) {
      case 'single-asset': {
        const targets = s.target === 'affected' ? (options.affected ?? risky).filter((a) => !stable.has(a)) : [s.target];
        const hit = targets.filter((t) => underlyings.includes(t));
        targets.filter((t) => !underlyings.includes(t)).forEach((t) => skipped.push({ stress: s.id, reason: `target ${t} is not an underlying of the set` }));
        const tVol = parallel(s.target_vol_shift);
        const oVol = parallel(s.others_vol_shift);
        for (const t of hit) {
          for (const d of s.directions) {
            const move = d * s.target_spot_return;
            const v = vectors((u) => (u === t ? [move, tVol] : [d * s.others_spot_return, oVol]));
            drafts.push({
              id: `${s.id}:${t}${s.directions.length > 1 ? (move < 0 ? ':down' : ':up') : ''}`,
              label: `${s.label}: ${t} ${(move * 100).toFixed(1)}%`,
              ...v, timeStepDays: 0, weight: 1, tags: [tag, `affected:${t}`],
            });
          }
        }
        break;
      }
      case 'depeg': {
        const oVol = parallel(s.others_vol_shift);
        const pairs = underlyings.map((u): [number, VolShiftRule] => (u === s.stablecoin ? [s.depeg_return, NO_VOL_SHIFT] : stable.has(u) ? [0, NO_VOL_SHIFT] : [s.others_spot_return, oVol]));
        drafts.push({
          id: s.id, label: s.label, spotReturns: pairs.map((p) => p[0]), volShifts: pairs.map((p) => p[1]),
          timeStepDays: 0, weight: 1, tags: [tag, `affected:${s.stablecoin}`],
        });
        break;
      }
      case 'common-move': {
        const vol = parallel(s.vol_shift);
        const v = vectors((u) => {
          const sigma = options.dailyVolatility?.[u];
          if (sigma !== undefined && !(Number.isFinite(sigma) && sigma > 0)) throw new ScenarioInputError(`dailyVolatility.${u}`, sigma, 'expected a positive daily vol');
          return [sigma === undefined ? s.fallback_spot_return : Math.expm1(s.z * sigma * Math.sqrt(s.horizon_days)), vol];
        });
        drafts.push({ id: s.id, label: s.label, ...v, timeStepDays: s.horizon_days, weight: 1, tags: [tag, ...risky.map((u) => `affected:${u}`)] });
        break;
      }
      case 'vol-spike': {
        drafts.push({ id: s.id, label: s.label, ...vectors(() => [s.spot_return, s.vol_rule]), timeStepDays: 0, weight: 1, tags: [tag] });
        break;
      }
    }
  }
  return buildScenarioSet({
    id: options.id ?? `hypothetical:${options.underlyings.join('+')}`,
    kind: 'hypothetical',
    modelVersion: `scenarios/hypothetical@${m.version}`,
    underlyings,
    weightMeaning: 'pnl-fraction',
    scenarios: drafts,
    details: {
      stablecoins: [...stable],
      affected: [...(options.affected ?? risky)],
      commonMoveBasis: Object.fromEntries(risky.map((u) => [u, options.dailyVolatility?.[u] === undefined ? 'fallback_spot_return' : 'z x daily vol x sqrt(horizon)'])),
      skipped,
    },
  });
}
