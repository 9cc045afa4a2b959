/**
 * The public `stressGrid` of DESIGN.md §6 (pure): instantaneous full revaluation of European options on a spot x vol
 * grid, sticky strike.
 *
 * - Each leg is a Black-Scholes option with carry on its underlying: price = bsPrice(spot, strike, expiry, rate,
 *   carry, vol), quantity signed in units of the underlying, values in the underlying's price currency.
 * - Base vol: the flat `vol`, or read from the underlying's SVI smiles at the leg's strike and the base forward,
 *   sigma0 = sqrt(w(T, k)/T) with k = ln(K / F(T)) on the VolSurface built from the slices (raw SVI per slice,
 *   total variance linear in T between slices at fixed k, F(T) log-linear between the slices' forwards and towards
 *   the spot before the first slice; see VolSurface).
 * - Cell (i, j): every underlying moves to spot (1 + spotShifts[i]); every leg's vol becomes max(sigma0 +
 *   volShifts[j], 0) (absolute shift, the `parallel` rule of applyVolShift); strikes, expiries, rates unchanged.
 * - pnl[i][j] = sum over legs of quantity x (price_ij - price_0); baseValue = sum of quantity x price_0; worst is the
 *   smallest pnl, the first in row-major order on ties.
 * Bad input raises RiskInputError naming the field.
 */
import { bsPriceKernel } from '../../pricing/index.ts';
import { applyVolShift } from '../../scenarios/index.ts';
import { VolSurface, type SviRawParams } from '../../surface/index.ts';
import { RiskInputError } from '../portfolio/errors.ts';

/** One SVI slice of a stressGrid smile. */
export interface StressGridSviSlice {
  /** Years, > 0. */
  readonly expiry: number;
  /** Forward of that expiry, > 0. */
  readonly forward: number;
  readonly params: SviRawParams;
}

/** One underlying of a stressGrid. */
export interface StressGridUnderlying {
  readonly spot: number;
  readonly rate: number;
  /** Continuous yield q; default 0. */
  readonly carry?: number;
  /** Flat vol, or SVI smiles per expiry. */
  readonly vol: number | { readonly svi: readonly StressGridSviSlice[] };
}

/** One option leg. */
export interface StressGridPosition {
  readonly underlying: string;
  readonly type: 'call' | 'put';
  readonly strike: number;
  /** Years, >= 0. */
  readonly expiry: number;
  /** Signed, in units of the underlying. */
  readonly quantity: number;
}

/** Input of {@link stressGrid}. */
export interface StressGridInput {
  readonly underlyings: Readonly<Record<string, StressGridUnderlying>>;
  readonly positions: readonly StressGridPosition[];
  /** Relative spot moves, each > -1. */
  readonly spotShifts: readonly number[];
  /** Absolute vol shifts (0.05 = +5 vol points). */
  readonly volShifts: readonly number[];
}

/** Output of {@link stressGrid}. */
export interface StressGridResult {
  readonly baseValue: number;
  /** pnl[i][j] for spotShifts[i] and volShifts[j]. */
  readonly pnl: number[][];
  readonly worst: { readonly spotShift: number; readonly volShift: number; readonly pnl: number };
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function shiftList(list: unknown, field: string, check: (x: number) => boolean, what: string): readonly number[] {
  if (!Array.isArray(list) || list.length === 0) throw new RiskInputError(field, list, 'expected a non-empty array of numbers');
  list.forEach((x, i) => {
    if (!isNum(x) || !check(x)) throw new RiskInputError(`${field}[${i}]`, x, what);
  });
  return list as readonly number[];
}

interface Leg {
  readonly spot: number;
  readonly rate: number;
  readonly carry: number;
  readonly strike: number;
  readonly expiry: number;
  readonly theta: 1 | -1;
  readonly quantity: number;
  readonly vol0: number;
}

function smileOf(name: string, u: StressGridUnderlying): VolSurface | number {
  const f = `underlyings.${name}.vol`;
  if (isNum(u.vol)) {
    if (u.vol < 0) throw new RiskInputError(f, u.vol, 'expected a flat vol >= 0');
    return u.vol;
  }
  const svi = (u.vol as { svi?: unknown } | null)?.svi;
  if (!Array.isArray(svi) || svi.length === 0) throw new RiskInputError(f, u.vol, 'expected a flat vol or { svi: [{ expiry, forward, params }] }');
  try {
    return VolSurface.create(
      svi.map((s: StressGridSviSlice) => ({ expiry: s?.expiry, forward: s?.forward, model: { kind: 'svi' as const, params: s?.params } })),
      { spot: u.spot },
    );
  } catch (e) {
    throw new RiskInputError(`${f}.svi`, svi, (e as Error).message.replace(/^slices/, 'svi'));
  }
}

function legsOf(input: StressGridInput): (Leg & { readonly key: string })[] {
  const { underlyings, positions } = input;
  if (underlyings === null || typeof underlyings !== 'object') throw new RiskInputError('underlyings', underlyings, 'expected an object name -> { spot, rate, carry?, vol }');
  const smiles = new Map<string, VolSurface | number>();
  for (const [name, u] of Object.entries(underlyings)) {
    const f = `underlyings.${name}`;
    if (u === null || typeof u !== 'object') throw new RiskInputError(f, u, 'expected { spot, rate, carry?, vol }');
    if (!isNum(u.spot) || u.spot <= 0) throw new RiskInputError(`${f}.spot`, u.spot, 'expected a finite spot > 0');
    if (!isNum(u.rate)) throw new RiskInputError(`${f}.rate`, u.rate, 'expected a finite rate');
    if (u.carry !== undefined && !isNum(u.carry)) throw new RiskInputError(`${f}.carry`, u.carry, 'expected a finite carry');
    smiles.set(name, smileOf(name, u));
  }
  if (!Array.isArray(positions)) throw new RiskInputError('positions', positions, 'expected an array of positions');
  return positions.map((p, i) => {
    const f = `positions[${i}]`;
    if (p === null || typeof p !== 'object') throw new RiskInputError(f, p, 'expected { underlying, type, strike, expiry, quantity }');
    const u = Object.prototype.hasOwnProperty.call(underlyings, p.underlying) ? underlyings[p.underlying] : undefined;
    if (u === undefined) throw new RiskInputError(`${f}.underlying`, p.underlying, 'not one of the underlyings');
    if (p.type !== 'call' && p.type !== 'put') throw new RiskInputError(`${f}.type`, p.type, "expected 'call' or 'put'");
    if (!isNum(p.strike) || p.strike <= 0) throw new RiskInputError(`${f}.strike`, p.strike, 'expected a finite strike > 0');
    if (!isNum(p.expiry) || p.expiry < 0) throw new RiskInputError(`${f}.expiry`, p.expiry, 'expected a finite expiry >= 0 (years)');
    if (!isNum(p.quantity)) throw new RiskInputError(`${f}.quantity`, p.quantity, 'expected a finite quantity');
    const smile = smiles.get(p.underlying) as VolSurface | number;
    const vol0 = typeof smile === 'number' ? smile : p.expiry === 0 ? 0 : smile.vol(p.expiry, p.strike);
    return { key: `${p.underlying}|${p.type}|${p.strike}|${p.expiry}`, spot: u.spot, rate: u.rate, carry: u.carry ?? 0, strike: p.strike, expiry: p.expiry, theta: p.type === 'call' ? 1 : -1, quantity: p.quantity, vol0 };
  });
}

/**
 * Distinct options of the legs (same underlying, type, strike and expiry), each with its net quantity, so that every
 * option is priced once per cell.
 */
function distinctOptions(legs: readonly (Leg & { readonly key: string })[]): Leg[] {
  const byKey = new Map<string, Leg>();
  for (const l of legs) {
    const prev = byKey.get(l.key);
    byKey.set(l.key, prev === undefined ? l : { ...prev, quantity: prev.quantity + l.quantity });
  }
  return [...byKey.values()];
}

/** Spot x vol stress grid of an option book (see the module comment). */
export function stressGrid(input: StressGridInput): StressGridResult {
  if (input === null || typeof input !== 'object') throw new RiskInputError('input', input, 'expected { underlyings, positions, spotShifts, volShifts }');
  const spotShifts = shiftList(input.spotShifts, 'spotShifts', (x) => x > -1, 'expected a finite relative move > -1');
  const volShifts = shiftList(input.volShifts, 'volShifts', () => true, 'expected a finite absolute vol shift');
  const options = distinctOptions(legsOf(input));
  const base = options.map((l) => bsPriceKernel(l.spot, l.strike, l.expiry, l.rate, l.carry, l.vol0, l.theta));
  let baseValue = 0;
  options.forEach((l, k) => {
    baseValue += l.quantity * (base[k] as number);
  });
  const pnl: number[][] = [];
  let worst = { spotShift: spotShifts[0] as number, volShift: volShifts[0] as number, pnl: Number.POSITIVE_INFINITY };
  for (const ds of spotShifts) {
    const row: number[] = [];
    for (const dv of volShifts) {
      const rule = { kind: 'parallel' as const, shift: dv };
      let cell = 0;
      options.forEach((l, k) => {
        const vol = applyVolShift(rule, l.vol0, l.expiry);
        cell += l.quantity * (bsPriceKernel(l.spot * (1 + ds), l.strike, l.expiry, l.rate, l.carry, vol, l.theta) - (base[k] as number));
      });
      row.push(cell);
      if (cell < worst.pnl) worst = { spotShift: ds, volShift: dv, pnl: cell };
    }
    pnl.push(row);
  }
  return { baseValue, pnl, worst: Object.freeze(worst) };
}
