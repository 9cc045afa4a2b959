/**
 * stressGrid (DESIGN.md §6) against the independent mpmath reference of scripts/reference/make_stress_grid_reference.py
 * (fixtures/reference/risk/stress_grid_reference.json: Black-Scholes with carry from the normal CDF at 50 digits, SVI
 * smiles with the VolSurface interpolation rules), plus identities and input validation.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bsPrice } from '../../src/pricing/index.ts';
import { RiskInputError, stressGrid, type StressGridInput } from '../../src/risk/index.ts';

interface GridCase {
  id: string;
  input: StressGridInput;
  vol0: number[];
  expected: { baseValue: number; pnl: number[][]; worst: { spotShift: number; volShift: number; pnl: number } };
}
const reference = JSON.parse(readFileSync(fileURLToPath(new URL('../../fixtures/reference/risk/stress_grid_reference.json', import.meta.url)), 'utf8')) as { grids: GridCase[] };

/** Notional scale of a case: sum |q| spot (1 + max |spot shift|); prices are accurate to a few 1e-16 of it. */
function scale(c: GridCase): number {
  const maxShift = Math.max(...c.input.spotShifts.map(Math.abs));
  return c.input.positions.reduce((s, p) => s + Math.abs(p.quantity) * (c.input.underlyings[p.underlying]?.spot ?? 0), 0) * (1 + maxShift);
}

describe('stressGrid against the mpmath reference', () => {
  for (const c of reference.grids) {
    it(`${c.id}: base value, every cell and the worst cell`, () => {
      const r = stressGrid(c.input);
      const tol = 2e-15 * scale(c);
      expect(Math.abs(r.baseValue - c.expected.baseValue)).toBeLessThanOrEqual(tol);
      expect(r.pnl.length).toBe(c.input.spotShifts.length);
      let maxErr = 0;
      r.pnl.forEach((row, i) => {
        expect(row.length).toBe(c.input.volShifts.length);
        row.forEach((x, j) => {
          maxErr = Math.max(maxErr, Math.abs(x - (c.expected.pnl[i]?.[j] as number)));
        });
      });
      expect(maxErr).toBeLessThanOrEqual(tol);
      expect(r.worst.spotShift).toBe(c.expected.worst.spotShift);
      expect(r.worst.volShift).toBe(c.expected.worst.volShift);
      expect(Math.abs(r.worst.pnl - c.expected.worst.pnl)).toBeLessThanOrEqual(tol);
      // the zero cell is exactly zero when both grids contain 0
      const i0 = c.input.spotShifts.indexOf(0);
      const j0 = c.input.volShifts.indexOf(0);
      if (i0 >= 0 && j0 >= 0) expect(r.pnl[i0]?.[j0]).toBe(0);
    });
  }

  it('flat-vol legs agree with the public bsPrice (base value) and shifted vols floor at zero', () => {
    const c = reference.grids.find((g) => g.id === 'low-vol-floor') as GridCase;
    const u = c.input.underlyings['SPX'] as { spot: number; rate: number; vol: number };
    const base = c.input.positions.reduce((s, p) => s + p.quantity * bsPrice({ spot: u.spot, strike: p.strike, expiry: p.expiry, rate: u.rate, vol: u.vol, type: p.type }), 0);
    const r = stressGrid(c.input);
    expect(r.baseValue).toBeCloseTo(base, 12);
    // volShifts -0.2 and -0.12 both floor the 12 % vol at 0: identical columns
    r.pnl.forEach((row) => expect(row[0]).toBe(row[1]));
  });

  it('nets legs on the same option: a long and a short of equal size give a zero grid', () => {
    const r = stressGrid({
      underlyings: { BTC: { spot: 70000, rate: 0, vol: 0.6 } },
      positions: [
        { underlying: 'BTC', type: 'call', strike: 75000, expiry: 0.1, quantity: 2 },
        { underlying: 'BTC', type: 'call', strike: 75000, expiry: 0.1, quantity: -2 },
      ],
      spotShifts: [-0.1, 0.1], volShifts: [-0.1, 0.1],
    });
    expect(r.baseValue).toBe(0);
    expect(r.pnl).toEqual([[0, 0], [0, 0]]);
  });

  it('rejects bad input with a typed error naming the field', () => {
    const ok: StressGridInput = {
      underlyings: { BTC: { spot: 70000, rate: 0, vol: 0.5 } },
      positions: [{ underlying: 'BTC', type: 'put', strike: 60000, expiry: 0.1, quantity: -1 }],
      spotShifts: [-0.1, 0], volShifts: [0],
    };
    expect(() => stressGrid(ok)).not.toThrow();
    const bad: [StressGridInput, string][] = [
      [{ ...ok, spotShifts: [-1] }, 'spotShifts[0]'],
      [{ ...ok, volShifts: [] }, 'volShifts'],
      [{ ...ok, underlyings: { BTC: { spot: -1, rate: 0, vol: 0.5 } } }, 'underlyings.BTC.spot'],
      [{ ...ok, underlyings: { BTC: { spot: 1, rate: 0, vol: -0.5 } } }, 'underlyings.BTC.vol'],
      [{ ...ok, underlyings: { BTC: { spot: 1, rate: 0, vol: { svi: [{ expiry: 0.1, forward: 1, params: { a: 0.01, b: 0.1, rho: 1.5, m: 0, sigma: 0.1 } }] } } } }, 'underlyings.BTC.vol.svi'],
      [{ ...ok, positions: [{ underlying: 'ETH', type: 'put', strike: 1, expiry: 1, quantity: 1 }] }, 'positions[0].underlying'],
      [{ ...ok, positions: [{ underlying: 'BTC', type: 'straddle' as 'put', strike: 1, expiry: 1, quantity: 1 }] }, 'positions[0].type'],
      [{ ...ok, positions: [{ underlying: 'BTC', type: 'put', strike: 0, expiry: 1, quantity: 1 }] }, 'positions[0].strike'],
      [{ ...ok, positions: [{ underlying: 'BTC', type: 'put', strike: 1, expiry: -1, quantity: 1 }] }, 'positions[0].expiry'],
      [{ ...ok, positions: [{ underlying: 'BTC', type: 'put', strike: 1, expiry: 1, quantity: Number.NaN }] }, 'positions[0].quantity'],
    ];
    for (const [input, field] of bad) {
      let err: unknown;
      try {
        stressGrid(input);
      } catch (e) {
        err = e;
      }
      expect(err, field).toBeInstanceOf(RiskInputError);
      expect((err as RiskInputError).field, field).toBe(field);
    }
  });
});
