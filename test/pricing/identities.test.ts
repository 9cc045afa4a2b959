/**
 * Identities every price must satisfy: put-call parity, bounds and monotonicity, Greeks against central finite
 * differences (QuantLib test-suite style), the explicit s -> 0 and expiry-reached branches, the inverse (coin-settled)
 * convention against Black-76, and the batch kernels against the scalar functions.
 */
import { describe, expect, it } from 'vitest';
import {
  black76Greeks, black76Price, bsGreeks, bsGreeksBatch, bsPrice, bsPriceBatch, inverseOptionGreeks,
  inverseOptionPrice, PricingInputError, type BsInput,
} from '../../src/pricing/index.ts';
import { createRng } from '../../src/math/rng.ts';

const rng = createRng(20260205);
function uniform(a: number, b: number): number {
  return a + (b - a) * rng.nextFloat64();
}

/** A seeded set of Black-Scholes inputs with ln(K/F) in [-1.5, 1.5], T in [1 day, 5y], vol in [0.05, 2]. */
function randomInputs(n: number): BsInput[] {
  const out: BsInput[] = [];
  for (let i = 0; i < n; i++) {
    const spot = uniform(10, 1000);
    const expiry = Math.exp(uniform(Math.log(1 / 365), Math.log(5)));
    const rate = uniform(-0.01, 0.1);
    const carry = uniform(-0.02, 0.08);
    const vol = uniform(0.05, 2);
    const forward = spot * Math.exp((rate - carry) * expiry);
    const strike = forward * Math.exp(uniform(-1.5, 1.5) * vol * Math.sqrt(expiry));
    out.push({ spot, strike, expiry, rate, carry, vol, type: rng.nextFloat64() < 0.5 ? 'call' : 'put' });
  }
  return out;
}

describe('put-call parity C - P = S e^{-qT} - K e^{-rT}', () => {
  it('holds to 1e-13 of the larger side on 2000 seeded inputs', () => {
    let worst = 0;
    for (const inp of randomInputs(2000)) {
      const c = bsPrice({ ...inp, type: 'call' });
      const p = bsPrice({ ...inp, type: 'put' });
      const rhs = inp.spot * Math.exp(-(inp.carry ?? 0) * inp.expiry) - inp.strike * Math.exp(-inp.rate * inp.expiry);
      const scale = Math.max(c, p, inp.spot * Math.exp(-(inp.carry ?? 0) * inp.expiry));
      worst = Math.max(worst, Math.abs(c - p - rhs) / scale);
    }
    expect(worst).toBeLessThan(1e-13);
  });
});

describe('no-arbitrage bounds and shape', () => {
  it('prices are never negative, stay within bounds and grow with vol', () => {
    for (const inp of randomInputs(1000)) {
      const v = bsPrice(inp);
      const df = Math.exp(-inp.rate * inp.expiry);
      const dq = Math.exp(-(inp.carry ?? 0) * inp.expiry);
      const intrinsic = Math.max(inp.type === 'call' ? inp.spot * dq - inp.strike * df : inp.strike * df - inp.spot * dq, 0);
      const upper = inp.type === 'call' ? inp.spot * dq : inp.strike * df;
      expect(v).toBeGreaterThanOrEqual(intrinsic * (1 - 1e-14));
      expect(v).toBeLessThanOrEqual(upper);
      expect(bsPrice({ ...inp, vol: inp.vol * 1.01 })).toBeGreaterThanOrEqual(v);
    }
  });

  it('deep out-of-the-money prices stay positive and keep their size down to 1e-300', () => {
    // Phi(-37) ~ 5.7e-300: the call is e^{-d1^2/2}-small, never 0 or negative
    const p = bsPrice({ spot: 1, strike: 1e4, expiry: 1, rate: 0, vol: 0.25, type: 'call' });
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-250);
    const q = bsPrice({ spot: 1, strike: 1e4, expiry: 1, rate: 0, vol: 0.2499, type: 'call' });
    expect(q).toBeLessThan(p); // still ordered in vol at 1e-250
  });
});

describe('Greeks against central finite differences', () => {
  const inputs = randomInputs(300).filter((i) => i.expiry > 0.02);
  it('delta, gamma, vega, theta, rho, dividendRho, vanna, volga', () => {
    for (const inp of inputs) {
      const g = bsGreeks(inp);
      const scale = inp.spot;
      const hS = 1e-4 * inp.spot;
      const hV = 1e-4;
      const hT = 1e-5 * inp.expiry;
      const hR = 1e-5;
      const f = (d: Partial<BsInput>): number => bsPrice({ ...inp, ...d });
      const fd = {
        delta: (f({ spot: inp.spot + hS }) - f({ spot: inp.spot - hS })) / (2 * hS),
        gamma: (f({ spot: inp.spot + hS }) - 2 * g.price + f({ spot: inp.spot - hS })) / (hS * hS),
        vega: (f({ vol: inp.vol + hV }) - f({ vol: inp.vol - hV })) / (2 * hV),
        theta: -(f({ expiry: inp.expiry + hT }) - f({ expiry: inp.expiry - hT })) / (2 * hT),
        rho: (f({ rate: inp.rate + hR }) - f({ rate: inp.rate - hR })) / (2 * hR),
        dividendRho: (f({ carry: (inp.carry ?? 0) + hR }) - f({ carry: (inp.carry ?? 0) - hR })) / (2 * hR),
        vanna: (bsGreeks({ ...inp, spot: inp.spot + hS }).vega - bsGreeks({ ...inp, spot: inp.spot - hS }).vega) / (2 * hS),
        volga: (bsGreeks({ ...inp, vol: inp.vol + hV }).vega - bsGreeks({ ...inp, vol: inp.vol - hV }).vega) / (2 * hV),
      };
      // FD truncation ~h^2 and rounding ~eps*price/h; absolute tolerance on the scale of each Greek
      expect(Math.abs(g.delta - fd.delta)).toBeLessThan(1e-6);
      expect(Math.abs(g.gamma - fd.gamma) * scale).toBeLessThan(2e-4 * Math.max(1, g.gamma * scale));
      expect(Math.abs(g.vega - fd.vega)).toBeLessThan(1e-6 * scale);
      expect(Math.abs(g.theta - fd.theta)).toBeLessThan(1e-5 * scale / Math.min(1, inp.expiry));
      expect(Math.abs(g.rho - fd.rho)).toBeLessThan(1e-6 * scale * (1 + inp.expiry));
      expect(Math.abs(g.dividendRho - fd.dividendRho)).toBeLessThan(1e-6 * scale * (1 + inp.expiry));
      expect(Math.abs(g.vanna - fd.vanna)).toBeLessThan(1e-5 * Math.max(1, Math.abs(g.vanna)));
      expect(Math.abs(g.volga - fd.volga)).toBeLessThan(1e-5 * scale * Math.max(1, Math.abs(g.volga) / scale));
    }
  });

  it('Black-76 Greeks: delta and gamma in the forward, theta and rho with the forward fixed', () => {
    const base = { forward: 120, strike: 100, expiry: 0.7, rate: 0.04, vol: 0.45, type: 'put' as const };
    const g = black76Greeks(base);
    const f = (d: Partial<typeof base>): number => black76Price({ ...base, ...d });
    expect(g.delta).toBeCloseTo((f({ forward: 120.01 }) - f({ forward: 119.99 })) / 0.02, 8);
    expect(g.gamma).toBeCloseTo((f({ forward: 120.01 }) - 2 * g.price + f({ forward: 119.99 })) / 1e-4, 5);
    expect(g.vega).toBeCloseTo((f({ vol: 0.4501 }) - f({ vol: 0.4499 })) / 0.0002, 6);
    expect(g.theta).toBeCloseTo(-(f({ expiry: 0.70001 }) - f({ expiry: 0.69999 })) / 0.00002, 5);
    expect(g.rho).toBeCloseTo(-0.7 * g.price, 14);
  });
});

describe('explicit limits: zero vol and expiry reached', () => {
  it('vol = 0 gives the discounted intrinsic value of the forward', () => {
    const inp = { spot: 100, strike: 90, expiry: 0.5, rate: 0.05, carry: 0.01, vol: 0, type: 'call' as const };
    const forward = 100 * Math.exp(0.04 * 0.5);
    expect(bsPrice(inp)).toBeCloseTo(Math.exp(-0.025) * (forward - 90), 12);
    expect(bsPrice({ ...inp, type: 'put' })).toBe(0);
    const g = bsGreeks(inp);
    expect(g.delta).toBeCloseTo(Math.exp(-0.005), 14);
    expect(g.gamma).toBe(0);
    expect(g.vega).toBe(0);
  });
  it('expiry = 0 gives the payoff; the limit is continuous', () => {
    expect(bsPrice({ spot: 105, strike: 100, expiry: 0, rate: 0.05, vol: 0.8, type: 'call' })).toBe(5);
    expect(bsPrice({ spot: 105, strike: 100, expiry: 0, rate: 0.05, vol: 0.8, type: 'put' })).toBe(0);
    const near = bsPrice({ spot: 105, strike: 100, expiry: 1e-12, rate: 0.05, vol: 0.8, type: 'call' });
    expect(Math.abs(near - 5)).toBeLessThan(1e-9);
    const atm = bsGreeks({ spot: 100, strike: 100, expiry: 0, rate: 0, vol: 0.5, type: 'call' });
    expect(atm.delta).toBe(0.5);
    expect(atm.gamma).toBe(Infinity);
    expect(atm.theta).toBe(-Infinity);
  });
});

describe('coin-settled (inverse) options, Deribit convention', () => {
  it('price_coin = Black76_undiscounted / F; delta = Phi(d1) - price_coin (finite difference of price_coin x F)', () => {
    const inp = { forward: 73751.77, strike: 65000, expiry: 0.2147441986448906, vol: 0.521, type: 'put' as const };
    const coin = inverseOptionPrice(inp);
    const usd = black76Price({ ...inp, rate: 0 });
    expect(coin).toBeCloseTo(usd / inp.forward, 15);
    const g = inverseOptionGreeks(inp);
    const h = 1;
    const dP = (inverseOptionPrice({ ...inp, forward: inp.forward + h }) - inverseOptionPrice({ ...inp, forward: inp.forward - h })) / (2 * h);
    expect(g.delta).toBeCloseTo(dP * inp.forward, 8);
    const d2P = (inverseOptionPrice({ ...inp, forward: inp.forward + 10 }) - 2 * coin + inverseOptionPrice({ ...inp, forward: inp.forward - 10 })) / 100;
    expect(g.gamma / d2P - 1).toBeLessThan(1e-5);
    // the fixture's own snapshot row: BTC-24APR26-65000-P, mark 0.04309805 BTC at mark iv 52.1%
    expect(coin).toBeCloseTo(0.04309805, 4);
  });
});

describe('batch kernels equal the scalar functions', () => {
  it('bsPriceBatch and bsGreeksBatch, bit for bit', () => {
    const inputs = randomInputs(500);
    const n = inputs.length;
    const batch = {
      length: n, spot: new Float64Array(n), strike: new Float64Array(n), expiry: new Float64Array(n),
      rate: new Float64Array(n), carry: new Float64Array(n), vol: new Float64Array(n), isCall: new Uint8Array(n),
    };
    inputs.forEach((inp, i) => {
      batch.spot[i] = inp.spot; batch.strike[i] = inp.strike; batch.expiry[i] = inp.expiry; batch.rate[i] = inp.rate;
      batch.carry[i] = inp.carry ?? 0; batch.vol[i] = inp.vol; batch.isCall[i] = inp.type === 'call' ? 1 : 0;
    });
    const prices = bsPriceBatch(batch);
    const greeks = bsGreeksBatch(batch);
    inputs.forEach((inp, i) => {
      const g = bsGreeks(inp);
      expect(prices[i]).toBe(g.price);
      expect(greeks.delta[i]).toBe(g.delta);
      expect(greeks.volga[i]).toBe(g.volga);
    });
    const out = new Float64Array(n);
    expect(bsPriceBatch(batch, out)).toBe(out); // the caller's buffer is used, not a copy
  });
  it('a NaN element gives NaN in its own slot only', () => {
    const batch = {
      length: 2, spot: Float64Array.of(100, NaN), strike: Float64Array.of(100, 100), expiry: Float64Array.of(1, 1),
      rate: Float64Array.of(0, 0), carry: Float64Array.of(0, 0), vol: Float64Array.of(0.2, 0.2), isCall: Uint8Array.of(1, 1),
    };
    const p = bsPriceBatch(batch);
    expect(p[0]).toBeGreaterThan(0);
    expect(p[1]).toBeNaN();
  });
});

describe('domain errors name the field and value', () => {
  it('rejects bad inputs with PricingInputError', () => {
    const ok = { spot: 100, strike: 100, expiry: 1, rate: 0, vol: 0.2, type: 'call' as const };
    expect(() => bsPrice({ ...ok, spot: -1 })).toThrow(PricingInputError);
    expect(() => bsPrice({ ...ok, vol: Number.NaN })).toThrow(/vol = NaN/);
    expect(() => bsPrice({ ...ok, expiry: -0.1 })).toThrow(/expiry/);
    expect(() => bsPrice({ ...ok, type: 'straddle' as never })).toThrow(/type/);
    expect(() => black76Price({ forward: 0, strike: 1, expiry: 1, rate: 0, vol: 0.2, type: 'put' })).toThrow(/forward/);
  });
});
