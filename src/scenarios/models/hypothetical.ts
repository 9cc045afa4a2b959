/**
 * Hypothetical named stresses (`models/scenarios/hypothetical/<version>.json`). Pure validator. Each stress is
 * a template of one `type`; spot moves are simple returns, vol moves parallel shifts in absolute vol unless a
 * `vol_rule` is given:
 * - `single-asset`: the target asset(s) (`target`: `"affected"` = the assets named by the caller, typically the
 *   incident's affected underlyings; or an asset code) move by `target_spot_return` / `target_vol_shift`, every
 *   other underlying by `others_spot_return` / `others_vol_shift`; one scenario per target and per sign in
 *   `directions` (1 keeps the sign of the configured move, -1 mirrors it);
 * - `depeg`: the stablecoin `stablecoin` loses `depeg_return` (its USD value), the other underlyings move by
 *   `others_spot_return` / `others_vol_shift`; the stablecoin is added to the set's underlyings;
 * - `common-move` (correlation going to one): every underlying moves in the same direction by `z` of its own
 *   daily vol over `horizon_days` (log move `z sigma_i sqrt(h)`), or by `fallback_spot_return` when the caller
 *   gives no vol for it; vols shift by `vol_shift`;
 * - `vol-spike`: spots move by `spot_return`, vols by `vol_rule` (any VolShiftRule, e.g. term-scaled: front
 *   expiries move most).
 */
import type { Validated } from '../errors.ts';
import type { VolShiftRule } from '../types.ts';
import { Checker, deepFreeze } from './check.ts';

/** A validated stress template. */
export type HypotheticalStress =
  | {
      readonly id: string; readonly label: string; readonly type: 'single-asset'; readonly target: string;
      readonly target_spot_return: number; readonly target_vol_shift: number;
      readonly others_spot_return: number; readonly others_vol_shift: number; readonly directions: readonly (1 | -1)[];
    }
  | {
      readonly id: string; readonly label: string; readonly type: 'depeg'; readonly stablecoin: string;
      readonly depeg_return: number; readonly others_spot_return: number; readonly others_vol_shift: number;
    }
  | {
      readonly id: string; readonly label: string; readonly type: 'common-move'; readonly z: number;
      readonly horizon_days: number; readonly fallback_spot_return: number; readonly vol_shift: number;
    }
  | { readonly id: string; readonly label: string; readonly type: 'vol-spike'; readonly spot_return: number; readonly vol_rule: VolShiftRule };

/** A validated hypothetical-stress model. */
export interface HypotheticalModel {
  readonly model: 'scenarios/hypothetical';
  readonly version: string;
  readonly description: string;
  readonly stresses: readonly HypotheticalStress[];
}

const RET = { exclusiveMin: -1, max: 10 } as const;

function volRule(c: Checker, value: unknown, p: string): VolShiftRule {
  const o = c.object(value, p);
  const fallback: VolShiftRule = { kind: 'parallel', shift: Number.NaN };
  if (o === undefined) return fallback;
  const kind = c.oneOf(o, 'kind', p, ['parallel', 'relative', 'term-scaled'] as const);
  if (kind === 'parallel') {
    c.noExtraKeys(o, ['kind', 'shift'], p);
    return { kind, shift: c.number(o, 'shift', p) };
  }
  if (kind === 'relative') {
    c.noExtraKeys(o, ['kind', 'factor'], p);
    return { kind, factor: c.number(o, 'factor', p, { min: 0 }) };
  }
  c.noExtraKeys(o, ['kind', 'shift', 'power', 'longTermPower', 'referenceDays', 'floorDays', 'minBaseVol'], p);
  const rule: { -readonly [K in keyof Extract<VolShiftRule, { kind: 'term-scaled' }>]: Extract<VolShiftRule, { kind: 'term-scaled' }>[K] } = {
    kind,
    shift: c.number(o, 'shift', p, { exclusiveMin: -1 }),
    power: c.number(o, 'power', p, { min: 0 }),
    referenceDays: c.number(o, 'referenceDays', p, { exclusiveMin: 0 }),
    floorDays: c.number(o, 'floorDays', p, { exclusiveMin: 0 }),
  };
  if (o['longTermPower'] !== undefined) rule.longTermPower = c.number(o, 'longTermPower', p, { min: 0 });
  if (o['minBaseVol'] !== undefined) rule.minBaseVol = c.number(o, 'minBaseVol', p, { min: 0 });
  return rule;
}

/** Validates parsed JSON as a hypothetical-stress model (unique ids, known types, bounded moves). */
export function validateHypotheticalModel(json: unknown): Validated<HypotheticalModel> {
  const c = new Checker();
  const root = c.object(json, '');
  if (root === undefined) return c.result(() => undefined as never);
  c.noExtraKeys(root, ['model', 'version', 'description', 'source', 'stresses'], '');
  const version = c.header(root, 'scenarios/hypothetical');
  const ids = new Set<string>();
  const stresses = c.array(root, 'stresses', '').map((v, i): HypotheticalStress | undefined => {
    const p = `stresses[${i}]`;
    const o = c.object(v, p);
    if (o === undefined) return undefined;
    const id = c.string(o, 'id', p);
    if (id !== '' && !/^[a-z0-9][a-z0-9-]*$/.test(id)) c.fail(`${p}.id`, `ids are lower-case words joined by '-', got '${id}'`);
    if (ids.has(id)) c.fail(`${p}.id`, `duplicate id '${id}'`);
    ids.add(id);
    const label = c.string(o, 'label', p);
    const type = c.oneOf(o, 'type', p, ['single-asset', 'depeg', 'common-move', 'vol-spike'] as const);
    if (o['type'] !== type) return undefined; // unknown type: its fields cannot be checked
    const common = ['id', 'label', 'type', 'note'];
    switch (type) {
      case 'single-asset': {
        c.noExtraKeys(o, [...common, 'target', 'target_spot_return', 'target_vol_shift', 'others_spot_return', 'others_vol_shift', 'directions'], p);
        const directions = (o['directions'] === undefined ? [1] : c.array(o, 'directions', p)).map((d, k) => {
          if (d !== 1 && d !== -1) c.fail(`${p}.directions[${k}]`, `expected 1 or -1, got ${JSON.stringify(d)}`);
          return d === -1 ? -1 : 1;
        }) as (1 | -1)[];
        const s = {
          id, label, type, target: c.string(o, 'target', p),
          target_spot_return: c.number(o, 'target_spot_return', p, RET), target_vol_shift: c.number(o, 'target_vol_shift', p),
          others_spot_return: c.number(o, 'others_spot_return', p, RET), others_vol_shift: c.number(o, 'others_vol_shift', p), directions,
        };
        if (new Set(directions).size !== directions.length) c.fail(`${p}.directions`, 'each direction (1, -1) at most once: a repeated direction would repeat its scenario');
        if (directions.includes(-1) && (s.target_spot_return >= 1 || s.others_spot_return >= 1)) c.fail(`${p}.directions`, 'a mirrored move of +100 % or more would reach -100 %');
        return s;
      }
      case 'depeg':
        c.noExtraKeys(o, [...common, 'stablecoin', 'depeg_return', 'others_spot_return', 'others_vol_shift'], p);
        return {
          id, label, type, stablecoin: c.string(o, 'stablecoin', p), depeg_return: c.number(o, 'depeg_return', p, { exclusiveMin: -1, max: 0 }),
          others_spot_return: c.number(o, 'others_spot_return', p, RET), others_vol_shift: c.number(o, 'others_vol_shift', p),
        };
      case 'common-move':
        c.noExtraKeys(o, [...common, 'z', 'horizon_days', 'fallback_spot_return', 'vol_shift'], p);
        return {
          id, label, type, z: c.number(o, 'z', p, { min: -20, max: 20 }), horizon_days: c.number(o, 'horizon_days', p, { exclusiveMin: 0, max: 365 }),
          fallback_spot_return: c.number(o, 'fallback_spot_return', p, RET), vol_shift: c.number(o, 'vol_shift', p),
        };
      case 'vol-spike':
        c.noExtraKeys(o, [...common, 'spot_return', 'vol_rule'], p);
        return { id, label, type, spot_return: c.number(o, 'spot_return', p, RET), vol_rule: volRule(c, o['vol_rule'], `${p}.vol_rule`) };
    }
  });
  return c.result(() => deepFreeze({
    model: 'scenarios/hypothetical' as const, version, description: root['description'] as string,
    stresses: stresses as HypotheticalStress[],
  }));
}
