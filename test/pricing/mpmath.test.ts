/**
 * Prices and Greeks against an independent 40-digit reference (fixtures/reference/pricing/mpmath-40.json): prices
 * evaluated with mpmath at 60 digits and Greeks as mpmath.diff derivatives of the price function (not closed forms),
 * made by scripts/reference/make_pricing_reference.py from seeded IEEE-double inputs spanning ln(K/F) in [-4, 4],
 * T from one hour to ten years, vol 0.01 to 5, r in [-0.02, 0.15], q in [-0.05, 0.1], and deep out-of-the-money
 * prices down to 1e-289.
 *
 * Rule: every value that is a normal double is within 1e-12 relative of the reference (measured worst: 2.6e-13), even
 * where the value's condition number kappa (in the fixture) exceeds 1e5: log-moneyness is ln(1 + (S-K)/K) near the
 * money and F - K is S expm1(mu) + (S - K), so no rounding of S/K or F is amplified. Implied vols of the rounded double prices are within
 * max(1e-12, 4 x the relative vol change of one price ulp).
 */
import { describe, expect, it } from 'vitest';
import {
  black76Greeks, bsGreeks, impliedVolBlack76, inverseOptionPrice, type Black76Input, type BsInput,
  type InverseOptionInput,
} from '../../src/pricing/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

interface Value { digits: string; double: number | null; normal: boolean; kappa?: number | null }
interface Case<I> { id: string; inputs: I; outputs: Record<string, Value> }
interface IvCase {
  id: string;
  inputs: { forward: number; strike: number; expiry: number; type: 'call' | 'put' };
  priceDouble: number;
  impliedVol: Value;
  ivRelChangePerPriceUlp: number;
}
const ref = readJsonFixture<{
  blackScholes: { cases: Case<BsInput>[] };
  black76: { cases: Case<Black76Input>[] };
  inverse: { cases: Case<InverseOptionInput>[] };
  impliedVol: { cases: IvCase[]; hardCases: IvCase[] };
}>('fixtures/reference/pricing/mpmath-40.json');

function check<I>(cases: Case<I>[], compute: (i: I) => Record<string, number>): { checked: number; worst: number; where: string } {
  let checked = 0;
  let worst = 0;
  let where = '';
  for (const c of cases) {
    const got = compute(c.inputs);
    for (const [field, v] of Object.entries(c.outputs)) {
      if (!v.normal) continue;
      const exact = Number(v.digits);
      const err = Math.abs(got[field]! - exact) / Math.abs(exact);
      if (err > worst) {
        worst = err;
        where = `${c.id}.${field}`;
      }
      checked++;
    }
  }
  return { checked, worst, where };
}

describe('prices and Greeks vs the 40-digit mpmath reference', () => {
  it('Black-Scholes with yield: price, delta, gamma, vega, theta, rho, dividendRho, vanna, volga', () => {
    const r = check(ref.blackScholes.cases, (i) => ({ ...bsGreeks(i) }));
    console.log(`blackScholes: ${r.checked} values, worst ${r.worst.toExponential(2)} at ${r.where}`);
    expect(r.checked).toBeGreaterThan(3000);
    expect(r.worst).toBeLessThan(1e-12);
  });
  it('Black-76: price, delta, gamma, vega, theta, rho', () => {
    const r = check(ref.black76.cases, (i) => ({ ...black76Greeks(i) }));
    console.log(`black76: ${r.checked} values, worst ${r.worst.toExponential(2)} at ${r.where}`);
    expect(r.checked).toBeGreaterThan(800);
    expect(r.worst).toBeLessThan(1e-12);
  });
  it('coin-settled (inverse) prices, including the Deribit ticker snapshots of methods.md §2.3', () => {
    const r = check(ref.inverse.cases, (i) => ({ priceCoin: inverseOptionPrice(i) }));
    expect(r.checked).toBeGreaterThan(90);
    expect(r.worst).toBeLessThan(1e-12);
  });
  it('deep out-of-the-money prices stay positive down to the smallest normal doubles', () => {
    const tiny = ref.blackScholes.cases.filter((c) => c.outputs['price']!.normal && Number(c.outputs['price']!.digits) < 1e-200);
    expect(tiny.length).toBeGreaterThan(5);
    for (const c of tiny) expect(bsGreeks(c.inputs).price).toBeGreaterThan(0);
  });
});

describe('implied vol vs the 40-digit reference', () => {
  it('random cases and the methods.md §1.5 hard cases', () => {
    let worst = 0;
    const all = [...ref.impliedVol.cases, ...ref.impliedVol.hardCases];
    for (const c of all) {
      const iv = impliedVolBlack76({ price: c.priceDouble, ...c.inputs, rate: 0 });
      const exact = Number(c.impliedVol.digits);
      const err = Math.abs(iv / exact - 1);
      const tol = Math.max(1e-12, 4 * c.ivRelChangePerPriceUlp);
      worst = Math.max(worst, err / tol);
    }
    expect(all.length).toBeGreaterThan(300);
    expect(worst).toBeLessThanOrEqual(1);
  });
});
