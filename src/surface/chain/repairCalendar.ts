/**
 * Calendar-arbitrage repair of a term structure of raw SVI slices (pure; reference/methods.md §3.3: total variance
 * non-decreasing in expiry at every k, including the asymptotic wing slopes).
 */
import type { SviRawParams } from '../types.ts';
import { calendarPairCheck } from './calendarPairCheck.ts';
import { dataRange, refitSlice, sliceSse, type RefitResult, type RefitSlice } from './refitSlice.ts';
import { sviW } from './sviPenaltyRefit.ts';

/** One slice entering the repair, in increasing expiry. */
export interface CalendarSliceInput extends RefitSlice {
  /** Bid and ask total variance of each data point (bidVol^2 T, askVol^2 T), to count quotes inside their band. */
  readonly band: { readonly low: ArrayLike<number>; readonly high: ArrayLike<number> } | null;
  /** True for slices fitted to their own quotes. */
  readonly fitted: boolean;
}

/** Outcome for one slice. */
export interface CalendarSliceOutcome {
  readonly params: SviRawParams;
  /**
   * What was done: nothing; 'wing-slopes': asymptotic slopes tamed to near what the quotes need; 'floor': lifted
   * above the previous slice; 'ceiling': lowered under the next slice; combinations joined by '+'.
   */
  readonly action: string;
  /** Penalty rounds (0 when untouched). */
  readonly rounds: number;
  readonly iterations: number;
  readonly stopReason: string | null;
  /** False when no round produced a slice free of calendar (and, if required, butterfly) arbitrage. */
  readonly ok: boolean;
}

/** Options of repairCalendar. */
export interface RepairCalendarOptions {
  /** Require sviButterfly to pass as well. */
  readonly enforceButterfly: boolean;
  /** Largest wing slope allowed (2 = Lee's bound when enforcing butterflies). */
  readonly slopeBound: number;
  /** Half-width of the uniform parts of the checks and grids (>= 3). */
  readonly kMax: number;
}

/** Shares of a slice's asymptotic slope excess over its needed slope kept by the wing taming, tried in order. */
const KAPPAS = [0.25, 0.5, 0.8];
/**
 * Weight of the slope regularisation in every refit, relative to the slice's weighted SSE over its mean w: prefers
 * the smallest asymptotic slopes the quotes allow, so that each slice's extrapolation constrains later slices least.
 */
const SLOPE_REGULARIZATION = 0.3;

interface State {
  params: SviRawParams;
  actions: string[];
  rounds: number;
  iterations: number;
  stopReason: string | null;
  ok: boolean;
}

/**
 * Makes a term structure of raw SVI slices free of calendar arbitrage:
 * 1. wing taming: beyond its quotes a slice is extrapolated by its asymptotic slopes s_L = b(1 - rho),
 *    s_R = b(1 + rho), which the quotes barely identify but every later slice must match or exceed. Each fitted
 *    slice is refitted with its slopes capped at e + kappa (s - e), e = |w'| at its outermost quote on that side
 *    (what its quotes need: SVI is convex), kappa = 0.25, 0.5, 0.8 in turn; the first refit that keeps every quote
 *    that was inside its bid-ask band inside is kept, else the slice is left as fitted;
 * 2. front to back: when slice i and the output slice i-1 violate calendarPairCheck, two repairs are tried —
 *    (A) refit slice i above slice i-1 (floor), (B) refit slice i-1 between slice i-2 (floor) and slice i
 *    (ceiling) — and the one keeping more quotes inside their bid-ask band is taken (then the smaller relative
 *    increase of weighted squared error). Refits use sviPenaltyRefit: slopes boxed exactly between the neighbours',
 *    penalties on the floor/ceiling on a wide grid and, when enforcing butterflies, on g(k) < 0, escalating over up
 *    to five rounds until calendarPairCheck (and sviButterfly) pass, all with a small regularisation towards small
 *    asymptotic slopes.
 * A slice that no repair could fix is returned with ok = false (the caller falls back).
 */
export function repairCalendar(slices: readonly CalendarSliceInput[], options: RepairCalendarOptions): CalendarSliceOutcome[] {
  const state: State[] = slices.map((s) => ({ params: s.params, actions: [], rounds: 0, iterations: 0, stopReason: null, ok: true }));
  // 1. wing taming, kept only when no quote leaves its band
  slices.forEach((slice, i) => {
    if (!slice.fitted) return;
    const [eL, eR] = edgeSlopes(slice);
    const sL = slope(slice.params, 'left');
    const sR = slope(slice.params, 'right');
    const inside = score(slice, slice.params);
    for (const kappa of KAPPAS) {
      const hiL = Math.min(options.slopeBound, eL + kappa * Math.max(sL - eL, 0));
      const hiR = Math.min(options.slopeBound, eR + kappa * Math.max(sR - eR, 0));
      if (sL <= hiL && sR <= hiR) return;
      const r = refitSlice(slice, { floor: null, ceiling: null, left: [0, hiL], right: [0, hiR], slopeRegularization: SLOPE_REGULARIZATION }, options);
      if (r.ok && score(slice, r.params) >= inside) {
        apply(state[i] as State, r, 'wing-slopes');
        return;
      }
    }
  });
  // 2. front to back
  for (let i = 1; i < slices.length; i++) {
    const cur = state[i] as State;
    const prv = state[i - 1] as State;
    if (!calendarPairCheck(prv.params, cur.params, options.kMax).arbitrage) continue;
    const slice = slices[i] as CalendarSliceInput;
    const before = slices[i - 1] as CalendarSliceInput;
    const prev2 = i >= 2 ? (state[i - 2] as State).params : null;
    // (A) lift slice i above i-1
    const a = refitSlice(slice, { floor: { params: prv.params, expiry: before.expiry }, ceiling: null, left: [slope(prv.params, 'left'), options.slopeBound], right: [slope(prv.params, 'right'), options.slopeBound], slopeRegularization: SLOPE_REGULARIZATION }, options, cur.params, (p) => score(slice, p));
    // (B) lower slice i-1 between i-2 and i
    const b = refitSlice(
      before,
      {
        floor: prev2 ? { params: prev2, expiry: (slices[i - 2] as CalendarSliceInput).expiry } : null,
        ceiling: cur.params,
        left: [prev2 ? slope(prev2, 'left') : 0, slope(cur.params, 'left')],
        right: [prev2 ? slope(prev2, 'right') : 0, slope(cur.params, 'right')],
        slopeRegularization: SLOPE_REGULARIZATION,
      },
      options,
      prv.params,
      (p) => score(before, p),
    );
    const scoreA = a.ok ? score(before, prv.params) + score(slice, a.params) : null;
    const scoreB = b.ok ? score(before, b.params) + score(slice, cur.params) : null;
    if (scoreB !== null && (scoreA === null || better(scoreB, scoreA, before, slice, b.params, prv.params, a.params, cur.params))) {
      apply(prv, b, 'ceiling');
    } else {
      apply(cur, a, 'floor');
    }
  }
  return state.map((s) => Object.freeze({
    params: s.params,
    action: s.actions.length === 0 ? 'none' : s.actions.join('+'),
    rounds: s.rounds,
    iterations: s.iterations,
    stopReason: s.stopReason,
    ok: s.ok,
  }));
}

function apply(s: State, r: RefitResult, action: string): void {
  s.params = r.params;
  if (!s.actions.includes(action)) s.actions.push(action);
  s.rounds += r.rounds;
  s.iterations += r.iterations;
  s.stopReason = r.stopReason;
  s.ok = r.ok;
}

/** Quotes inside their band (count), or 0 without a band. */
function score(slice: CalendarSliceInput, p: SviRawParams): number {
  if (!slice.band) return 0;
  let inside = 0;
  for (let i = 0; i < slice.data.n; i++) {
    const wm = sviW(p, slice.data.k[i] as number);
    if (wm >= (slice.band.low[i] as number) && wm <= (slice.band.high[i] as number)) inside++;
  }
  return inside;
}

/** B better than A: more quotes inside; on a tie, the smaller relative increase of weighted squared error. */
function better(
  scoreB: number,
  scoreA: number,
  before: CalendarSliceInput,
  slice: CalendarSliceInput,
  bParams: SviRawParams,
  prvParams: SviRawParams,
  aParams: SviRawParams,
  curParams: SviRawParams,
): boolean {
  if (scoreB !== scoreA) return scoreB > scoreA;
  return sliceSse(before, bParams) / sliceSse(before, prvParams) < sliceSse(slice, aParams) / sliceSse(slice, curParams);
}

function slope(p: SviRawParams, side: 'left' | 'right'): number {
  return p.b * (side === 'left' ? 1 - p.rho : 1 + p.rho);
}

/** Slopes the slice's own quotes need: -w'(kMin) and w'(kMax) of its fitted params at the edges of its data. */
function edgeSlopes(slice: RefitSlice): [number, number] {
  const range = dataRange(slice);
  if (!range) return [0, 0];
  const { b, rho, m, sigma } = slice.params;
  const d = (k: number): number => b * (rho + (k - m) / Math.sqrt((k - m) ** 2 + sigma * sigma));
  return [Math.max(-d(range[0]), 0), Math.max(d(range[1]), 0)];
}
