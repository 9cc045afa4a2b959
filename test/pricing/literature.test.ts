/**
 * Published values: Hull, "Options, Futures and Other Derivatives" (worked example, S=42 K=40 r=10% sigma=20% T=0.5:
 * call 4.76, put 0.81); Haug, "The Complete Guide to Option Pricing Formulas" (2nd ed., BS call 2.1334; GBSM put
 * 4.0870; Black-76 1.7011); py_vollib doctests; recomputed at 50 digits with mpmath (fixtures/reference/pricing/
 * literature.json, from methods.md §2.2). The mpmath digits are asserted to 1e-13 relative, the book digits to their
 * printed precision.
 */
import { describe, expect, it } from 'vitest';
import { black76Greeks, black76Price, bsPrice, normalisedBlack } from '../../src/pricing/index.ts';
import { readJsonFixture, relativeError } from '../support/fixtures.ts';

interface Vector {
  id: string; model: string; S?: number; F?: number; K: number; T: number; r?: number; q?: number; sigma: number;
  call?: number; put?: number; x?: number; s?: number; beta?: number;
}
const lit = readJsonFixture<{
  black_scholes: Vector[];
  black76_greeks_pyvollib: {
    inputs: { F: number; K: number; r: number; t: number; sigma: number };
    call: { delta: number; gamma: number; vega: number; theta: number; rho: number };
    put: { theta: number; rho: number };
  };
}>('fixtures/reference/pricing/literature.json');

describe('literature prices', () => {
  for (const v of lit.black_scholes) {
    it(`${v.id} (${v.model})`, () => {
      const tol = 1e-12;
      for (const type of ['call', 'put'] as const) {
        const expected = v[type];
        if (expected === undefined) continue;
        let price: number;
        if (v.model.startsWith('normalised')) {
          price = normalisedBlack(v.x!, v.s!, v.beta !== undefined && type === 'call' ? 1 : -1);
        } else if (v.model.startsWith('Black76')) {
          price = black76Price({ forward: v.F!, strike: v.K, expiry: v.T, rate: v.r ?? 0, vol: v.sigma, type });
        } else {
          price = bsPrice({ spot: v.S!, strike: v.K, expiry: v.T, rate: v.r!, carry: v.q ?? 0, vol: v.sigma, type });
        }
        // fixture digits: 11 to 15 significant; compare to the precision they carry
        const digits = String(expected).replace(/^0\.0*|\./g, '').length;
        expect(relativeError(price, expected)).toBeLessThan(Math.max(tol, 0.6 * 10 ** (1 - digits)));
      }
      if (v.beta !== undefined) {
        const theta = v.id.endsWith('put') ? -1 : 1;
        expect(relativeError(normalisedBlack(v.x!, v.s!, theta), v.beta)).toBeLessThan(1e-11);
      }
    });
  }

  it('Hull and Haug book values to the printed digits', () => {
    const hull = { spot: 42, strike: 40, expiry: 0.5, rate: 0.1, vol: 0.2 };
    expect(bsPrice({ ...hull, type: 'call' }).toFixed(2)).toBe('4.76');
    expect(bsPrice({ ...hull, type: 'put' }).toFixed(2)).toBe('0.81');
    expect(bsPrice({ spot: 60, strike: 65, expiry: 0.25, rate: 0.08, vol: 0.3, type: 'call' }).toFixed(4)).toBe('2.1334');
    // Haug's generalized BSM with cost of carry b = r - q = 0.05: here carry (the yield q) = 0.05
    expect(bsPrice({ spot: 75, strike: 70, expiry: 0.5, rate: 0.1, carry: 0.05, vol: 0.35, type: 'put' }).toFixed(4))
      .toBe('4.0870');
    expect(black76Price({ forward: 19, strike: 19, expiry: 0.75, rate: 0.1, vol: 0.28, type: 'call' }).toFixed(4))
      .toBe('1.7011');
  });
});

describe('py_vollib Black-76 Greeks (doctests, tolerance 1e-6 as published)', () => {
  const { inputs, call, put } = lit.black76_greeks_pyvollib;
  const base = { forward: inputs.F, strike: inputs.K, expiry: inputs.t, rate: inputs.r, vol: inputs.sigma };
  const c = black76Greeks({ ...base, type: 'call' });
  const p = black76Greeks({ ...base, type: 'put' });
  it('delta, gamma as published; vega, theta, rho after unit conversion (x0.01 vol point, /365 day, x0.01)', () => {
    expect(c.delta).toBeCloseTo(call.delta, 12);
    expect(c.gamma).toBeCloseTo(call.gamma, 10);
    expect(c.vega * 0.01).toBeCloseTo(call.vega, 10);
    expect(c.theta / 365).toBeCloseTo(call.theta, 10);
    expect(c.rho * 0.01).toBeCloseTo(call.rho, 12);
    expect(p.theta / 365).toBeCloseTo(put.theta, 10);
    expect(p.rho * 0.01).toBeCloseTo(put.rho, 12);
  });
});
