/**
 * Implied volatility: the 1000 "Let's Be Rational" test values (py_lets_be_rational tests/TestValues.json, generated
 * with Jäckel's C reference), the hard cases of methods.md §1.5, a seeded round-trip grid over ln(K/F) in [-4, 4],
 * T from one hour to ten years and vol from 0.01 to 5, and the error codes.
 *
 * Accuracy rule (the problem's conditioning): a price known to within its last bits determines the vol only to
 * within dsigma = dP / vega. Against reference vols we require |sigma_hat/sigma - 1| <= 1e-12 + 4 eps P/(vega sigma),
 * i.e. 1e-12 relative wherever a 4-ulp change of the price moves the vol by less than that. On the round-trip grid,
 * where the map price -> vol can be very nonlinear (deep in the money, time value below the price's last digit), a
 * vol worse than 1e-12 must reproduce the price to within 4 ulps (backward error), and such cases are counted.
 */
import { describe, expect, it } from 'vitest';
import {
  black76Greeks, black76Price, impliedTotalVolOtmCall, impliedVol, impliedVolBlack76, impliedVolBlack76Detailed,
  impliedVolInverse, ImpliedVolError, inverseOptionPrice, type ImpliedVolDiagnostics,
} from '../../src/pricing/index.ts';
import { createRng } from '../../src/math/rng.ts';
import { readJsonFixture, relativeError } from '../support/fixtures.ts';

const EPS = Number.EPSILON;

/** The spacing of doubles at |v|. */
function ulp(v: number): number {
  const a = Math.abs(v);
  if (a === 0) return Number.MIN_VALUE;
  const e = Math.floor(Math.log2(a));
  return Math.max(2 ** (e - 52), Number.MIN_VALUE);
}

/** Tolerance of the accuracy rule above for an undiscounted Black price. */
function ivTolerance(F: number, K: number, T: number, sigma: number, type: 'call' | 'put'): number {
  const g = black76Greeks({ forward: F, strike: K, expiry: T, rate: 0, vol: sigma, type });
  return 1e-12 + (4 * EPS * g.price) / (g.vega * sigma);
}

interface LbrCase { F: number; K: number; T: number; sigma: number; q: 1 | -1; N: number }
interface LbrOut {
  black: number;
  implied_volatility_from_a_transformed_rational_guess: number | null;
  normalised_black_call: number;
  normalised_implied_volatility_from_a_transformed_rational_guess_with_limited_iterations: number | null;
}

describe("Let's Be Rational reference values (1000 cases)", () => {
  const data = readJsonFixture<{ input: LbrCase[]; output: LbrOut[] }>('fixtures/reference/lbr/TestValues.json');

  it('prices agree with the C reference to 1e-13 relative', () => {
    let worst = 0;
    data.input.forEach((c, i) => {
      const p = black76Price({ forward: c.F, strike: c.K, expiry: c.T, rate: 0, vol: c.sigma, type: c.q > 0 ? 'call' : 'put' });
      worst = Math.max(worst, relativeError(p, data.output[i]!.black));
    });
    expect(worst).toBeLessThan(1e-13);
  });

  it('implied vols match the reference within the conditioning rule, and the input sigma where the reference does', () => {
    let checked = 0;
    let atIntrinsic = 0;
    const errors: number[] = [];
    data.input.forEach((c, i) => {
      const out = data.output[i]!;
      const type = c.q > 0 ? 'call' : 'put';
      const ref = out.implied_volatility_from_a_transformed_rational_guess;
      if (c.T === 0) {
        // the generator rounded T to two decimals; at T = 0 there is no time value to invert
        expect(() => impliedVolBlack76({ price: out.black, forward: c.F, strike: c.K, expiry: c.T, rate: 0, type }))
          .toThrow(ImpliedVolError);
        atIntrinsic++;
        return;
      }
      const iv = impliedVolBlack76({ price: out.black, forward: c.F, strike: c.K, expiry: c.T, rate: 0, type });
      if (ref === 0) {
        // the stored price is exactly the intrinsic value: the time value was lost to rounding (methods.md §1.5 item 5)
        expect(iv).toBe(0);
        atIntrinsic++;
        return;
      }
      expect(ref).not.toBeNull();
      const tol = ivTolerance(c.F, c.K, c.T, ref!, type);
      expect(relativeError(iv, ref!)).toBeLessThanOrEqual(tol);
      errors.push(relativeError(iv, ref!));
      checked++;
    });
    errors.sort((a, b) => a - b);
    expect(checked + atIntrinsic).toBe(1000);
    expect(errors[Math.floor(errors.length / 2)]!).toBeLessThan(4 * EPS); // median: a few ulps
  });

  it('two Householder steps reach full precision where one does not always (the "two iterations" claim)', () => {
    let oneStepWorst = 0;
    let twoStepWorst = 0;
    const d: ImpliedVolDiagnostics = { iterations: 0, stopReason: 'iteration-limit', branch: 'none', initialGuess: 0 };
    data.input.forEach((c, i) => {
      const out = data.output[i]!;
      // the normalised out-of-the-money problem of the case (put-call parity, then puts to calls with x -> -x)
      const intrinsic = Math.max(c.q * (c.F - c.K), 0);
      const otmBeta = (out.black - intrinsic) / Math.sqrt(c.F * c.K);
      const x = -Math.abs(Math.log(c.F / c.K));
      if (!(otmBeta > 1e-300) || c.T === 0) return;
      const s2 = impliedTotalVolOtmCall(otmBeta, x, d, 2);
      const s1 = impliedTotalVolOtmCall(otmBeta, x, d, 1);
      const s3 = impliedTotalVolOtmCall(otmBeta, x, d, 8);
      // reference: many steps; conditioning relative to the OTM price's own ulp
      oneStepWorst = Math.max(oneStepWorst, relativeError(s1, s3));
      twoStepWorst = Math.max(twoStepWorst, relativeError(s2, s3));
    });
    expect(twoStepWorst).toBeLessThan(1e-13);
    expect(oneStepWorst).toBeGreaterThan(twoStepWorst);
  });
});

describe('hard cases of methods.md §1.5 (prices from mpmath at 60 digits)', () => {
  const lit = readJsonFixture<{ iv_inversion_hard_cases: { rows: [string, number, number, number, number, number, number, number][] } }>(
    'fixtures/reference/pricing/literature.json',
  );
  for (const [name, F, K, T, sigma, q, price, cond] of lit.iv_inversion_hard_cases.rows) {
    it(name, () => {
      const type = q > 0 ? 'call' : 'put';
      const r = impliedVolBlack76Detailed({ price, forward: F, strike: K, expiry: T, rate: 0, type });
      expect(r.iterations).toBeLessThanOrEqual(2);
      // the table's last column: relative IV error caused by one ulp of the price
      const tol = Math.max(1e-12, 4 * cond);
      expect(relativeError(r.vol, sigma)).toBeLessThanOrEqual(tol);
    });
  }
});

describe('seeded round-trip grid: ln(K/F) in [-4, 4], T in [1h, 10y], vol in [0.01, 5]', () => {
  it('recovers the vol within the conditioning rule for every case whose OTM price is a normal double', () => {
    const rng = createRng('iv-grid');
    let n = 0;
    let skipped = 0;
    let illConditioned = 0;
    let otmWorstOverTol = 0;
    let worst = 0;
    for (let i = 0; i < 20000; i++) {
      const k = -4 + 8 * rng.nextFloat64();
      const T = Math.exp(Math.log(1 / 8760) + (Math.log(10) - Math.log(1 / 8760)) * rng.nextFloat64());
      const sigma = Math.exp(Math.log(0.01) + (Math.log(5) - Math.log(0.01)) * rng.nextFloat64());
      const F = 100;
      const K = F * Math.exp(k);
      const type = rng.nextFloat64() < 0.5 ? 'call' : 'put';
      const price = black76Price({ forward: F, strike: K, expiry: T, rate: 0, vol: sigma, type });
      const otm = black76Price({ forward: F, strike: K, expiry: T, rate: 0, vol: sigma, type: k > 0 ? 'call' : 'put' });
      if (!(otm > 1e-300) || price >= (type === 'call' ? F : K)) {
        skipped++;
        continue;
      }
      const iv = impliedVolBlack76({ price, forward: F, strike: K, expiry: T, rate: 0, type });
      const err = relativeError(iv, sigma);
      const inTheMoney = (type === 'call') === (k < 0);
      if (!inTheMoney) {
        // out of the money the whole price is time value: the linearised conditioning rule applies
        const tol = ivTolerance(F, K, T, sigma, type);
        if (!(err <= tol)) throw new Error(`OTM k=${k} T=${T} sigma=${sigma} ${type}: iv ${iv} err ${err} tol ${tol}`);
        otmWorstOverTol = Math.max(otmWorstOverTol, err / tol);
      } else if (!(err <= 1e-12)) {
        // worse conditioned than 1e-12: the vol must reproduce the price to within 4 ulps (backward error)
        const back = black76Price({ forward: F, strike: K, expiry: T, rate: 0, vol: iv, type });
        const ulps = Math.abs(back - price) / ulp(price);
        if (!(ulps <= 4)) throw new Error(`k=${k} T=${T} sigma=${sigma} ${type}: iv ${iv} err ${err} backward ${ulps} ulps`);
        illConditioned++;
      }
      worst = Math.max(worst, err);
      n++;
    }
    expect(n).toBeGreaterThan(9000); // about half the grid has OTM prices below 1e-300 (|k| large, s small)
    expect(otmWorstOverTol).toBeLessThanOrEqual(1);
    console.log(`IV round trip: ${n} cases, ${skipped} skipped (OTM price below 1e-300 or at the upper bound), ` +
      `${illConditioned} in-the-money cases worse conditioned than 1e-12 checked by backward error (<= 4 ulps)`);
  });

  it('Black-Scholes with rates and yield, and coin-settled quotes, round-trip', () => {
    const p = 7.123456;
    const v = impliedVol({ price: p, spot: 100, strike: 105, expiry: 0.75, rate: 0.05, carry: 0.02, type: 'call' });
    const back = black76Price({ forward: 100 * Math.exp(0.03 * 0.75), strike: 105, expiry: 0.75, rate: 0.05, vol: v, type: 'call' });
    expect(relativeError(back, p)).toBeLessThan(1e-14);
    const coin = inverseOptionPrice({ forward: 64000, strike: 60000, expiry: 3 / 365, vol: 1.48, type: 'put' });
    expect(relativeError(impliedVolInverse({ priceCoin: coin, forward: 64000, strike: 60000, expiry: 3 / 365, type: 'put' }), 1.48))
      .toBeLessThan(1e-13);
  });
});

describe('impossible inputs raise ImpliedVolError with a code', () => {
  const base = { forward: 100, strike: 100, expiry: 1, rate: 0, type: 'call' as const };
  const code = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      if (e instanceof ImpliedVolError) return e.code;
      throw e;
    }
    return 'none';
  };
  it('each code', () => {
    expect(code(() => impliedVolBlack76({ ...base, strike: 80, price: 19.9 }))).toBe('BELOW_INTRINSIC');
    expect(code(() => impliedVolBlack76({ ...base, price: 100 }))).toBe('ABOVE_MAXIMUM');
    expect(code(() => impliedVolBlack76({ ...base, price: 5, expiry: 0 }))).toBe('NON_POSITIVE_EXPIRY');
    expect(code(() => impliedVolBlack76({ ...base, price: Number.NaN }))).toBe('INVALID_NUMBER');
    expect(code(() => impliedVolBlack76({ ...base, price: -1 }))).toBe('NEGATIVE_PRICE');
    expect(code(() => impliedVolBlack76({ ...base, price: 5, strike: -1 }))).toBe('NON_POSITIVE_STRIKE');
    expect(code(() => impliedVolBlack76({ ...base, price: 5, type: 'bond' as never }))).toBe('INVALID_TYPE');
    // py_vollib issue #18: a quote below the intrinsic value of the forward
    expect(code(() => impliedVol({ price: 1529.75, spot: 4127.83, strike: 2600, expiry: 133 / 252, rate: 0.01, type: 'call' })))
      .toBe('BELOW_INTRINSIC');
  });
  it('price at the intrinsic value gives 0 and says why', () => {
    const r = impliedVolBlack76Detailed({ ...base, strike: 80, price: 20 });
    expect(r.vol).toBe(0);
    expect(r.stopReason).toBe('zero-time-value');
  });
});
