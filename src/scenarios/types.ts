/**
 * The one scenario representation shared by every generator (venue grid, SPAN, historical, filtered historical,
 * hypothetical, incident replay). Plain frozen data; the spot returns of a set live in one row-major
 * `Float64Array` (`spotReturnMatrix`, scenarios x underlyings) and each scenario's `spotReturns` is a view of its row.
 *
 * Conventions:
 * - spot moves are **simple returns** (`S' = S (1 + r)`, r > -1), the way venue grids quote them; historical
 *   generators convert their log returns with `expm1`;
 * - vol moves are **rules** (`VolShiftRule`) applied by revaluation to any surface at each expiry
 *   (`applyVolShift`), not numbers tied to one surface; vols are annualised decimals, expiries in years ACT/365,
 *   days-to-expiry = expiry x 365;
 * - `weight` means what `ScenarioSet.weightMeaning` says: for worst-case sets (grid, SPAN) the fraction of the
 *   scenario's P&L that counts (SPAN extremes 0.35, venue extended moves their scaling factor); for empirical sets
 *   (historical, FHS) a relative observation weight (1 unless the row was downweighted).
 * - tags: `stress:<name>` (a named stress period), `extended` (venue extended table), `extreme` (SPAN 15/16),
 *   `lookback`, `affected:<asset>`, `hypothetical:<template>`, `incident:<id>`.
 */
import type { RngSeed } from '../math/index.ts';

/**
 * How an implied vol moves in a scenario; `applyVolShift(rule, vol, expiry)` evaluates it. Results are floored at 0.
 * - `parallel`: `vol + shift` (absolute vol points as decimals: 0.1 = +10 vol points);
 * - `relative`: `vol * factor`;
 * - `term-scaled` (venue pattern): `vol + base * shift * (referenceDays / max(dte, floorDays))^p` with
 *   `p = power` when `dte <= referenceDays`, else `longTermPower` (default `power`); `base = max(vol, minBaseVol)`
 *   for an up shift (`shift > 0`, the venue's `min_volatility_for_shock_up`), `base = vol` otherwise;
 * - `term-structure`: per-tenor values interpolated linearly in days-to-expiry (flat beyond the first and last
 *   tenor): `mode: 'absolute'` adds the value, `'relative'` multiplies by it.
 */
export type VolShiftRule =
  | { readonly kind: 'parallel'; readonly shift: number }
  | { readonly kind: 'relative'; readonly factor: number }
  | {
      readonly kind: 'term-scaled';
      readonly shift: number;
      readonly power: number;
      readonly longTermPower?: number;
      readonly referenceDays: number;
      readonly floorDays: number;
      readonly minBaseVol?: number;
    }
  | {
      readonly kind: 'term-structure';
      readonly mode: 'absolute' | 'relative';
      readonly tenorDays: readonly number[];
      readonly values: readonly number[];
    };

/** Generator families. */
export type ScenarioSetKind = 'venue-grid' | 'span' | 'historical' | 'filtered-historical' | 'hypothetical' | 'incident-replay' | 'composite';

/** One scenario. */
export interface Scenario {
  /** Unique within the set, stable across runs (e.g. `grid:b-4:up`, `hs:2022-11-09`). */
  readonly id: string;
  /** Human-readable description. */
  readonly label: string;
  /** Simple return per underlying (same order as `ScenarioSet.underlyings`); a view of `spotReturnMatrix`. */
  readonly spotReturns: Float64Array;
  /** Vol-shift rule per underlying (same order as `ScenarioSet.underlyings`). */
  readonly volShifts: readonly VolShiftRule[];
  /** Horizon of the move in calendar days (0 = instantaneous; MPOR for historical sets). */
  readonly timeStepDays?: number;
  /** See `ScenarioSet.weightMeaning`. */
  readonly weight?: number;
  readonly tags: readonly string[];
}

/** A set of scenarios from one generator and model version. */
export interface ScenarioSet {
  readonly id: string;
  readonly kind: ScenarioSetKind;
  /** `<family>/<name>@<semver>` of the model config used, e.g. `scenarios/deribit-grid@1.0.0`. */
  readonly modelVersion: string;
  /** Seed of a randomised generator (filtered-historical bootstrap); absent for deterministic ones. */
  readonly seed?: RngSeed;
  /** Underlying codes, the column order of every scenario. */
  readonly underlyings: readonly string[];
  /** Always `simple` (see the module comment). */
  readonly returnConvention: 'simple';
  readonly weightMeaning: 'pnl-fraction' | 'probability';
  /** Row-major scenarios x underlyings simple returns. */
  readonly spotReturnMatrix: Float64Array;
  readonly scenarios: readonly Scenario[];
  /** Generator record (inputs, dates, vol model, skipped rows), plain JSON-able values. */
  readonly details: Readonly<Record<string, unknown>>;
}

/** A scenario before assembly into a set (`buildScenarioSet`). */
export interface ScenarioDraft {
  readonly id: string;
  readonly label: string;
  readonly spotReturns: ArrayLike<number>;
  readonly volShifts: readonly VolShiftRule[];
  readonly timeStepDays?: number;
  readonly weight?: number;
  readonly tags?: readonly string[];
}
