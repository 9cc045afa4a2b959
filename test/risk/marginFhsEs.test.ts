import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import { ewmaVolatility } from '../../src/correlation/index.ts';
import { ModelValidationError } from '../../src/scenarios/index.ts';
import {
  applyApc, fhsEsMargin, fhsEsMarginOfModel, MarginInputError, overlappingSums, validateFhsEsModel, type FhsEsMarginInput,
} from '../../src/risk/margin/index.ts';
import { readJsonFixture } from '../support/fixtures.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const model = readJsonFixture<Json>('models/margin/fhs-es/1.0.0.json');
const example = readJsonFixture<Json>('fixtures/reference/correlation/literature.json')['fhs_ewma_example'];
const variant = (patch: Json): Json => ({ ...structuredClone(model), ...patch });

/** Direct reference: mean of the k largest losses by sorting. */
function meanWorst(pnl: ArrayLike<number>, k: number): number {
  const losses = Array.from(pnl, (x) => -x).sort((a, b) => b - a);
  return losses.slice(0, k).reduce((a, b) => a + b, 0) / k;
}

describe('FHS-ES margin on a small book against a direct computation (methods.md §5.1 worked example)', () => {
  // FHS scenarios of the published example: sigma_{T+1} z_t with RiskMetrics EWMA (lambda 0.94, seed mean r^2)
  const vol = ewmaVolatility(example.returns, { lambda: example.lambda, init: 'sample' });
  const scenarios = Float64Array.from(vol.standardizedResiduals, (z) => vol.nextVolatility * z);
  const notional = 10 * 70_000; // 10 BTC held linearly at 70 000 USD
  const pnl = Float64Array.from(scenarios, (r) => notional * r);

  it('the scenarios are the published ones (sigma_T+1 and the first five to 1e-10)', () => {
    expect(vol.nextVolatility).toBeCloseTo(example.sigma_T_plus_1, 15);
    example.scenarios_first5.forEach((s: number, i: number) => expect(scenarios[i]).toBeCloseTo(s, 10));
  });

  it('95 %, 20 scenarios: k = 1 exactly (20 x 0.05 is 1.0000000000000009 in doubles), margin = worst loss x sqrt(2)', () => {
    const r = fhsEsMargin({ pnl, model: variant({ confidence: 0.95, apc: { method: 'none' } }) });
    expect(r.tailCount).toBe(1);
    expect(r.esHorizonUsd).toBe(meanWorst(pnl, 1));
    expect(r.esHorizonUsd).toBeCloseTo(notional * 0.04 * vol.nextVolatility / vol.volatility[8]!, 6); // the -4 % day
    expect(r.marginUsd).toBeCloseTo(meanWorst(pnl, 1) * Math.SQRT2, 9);
    expect(r.liquidityAddOnUsd + r.concentrationAddOnUsd + r.apc.addOnUsd).toBe(0);
  });

  it('90 %: mean of the 2 worst; 99.5 % default model with its 25 % buffer and add-ons by hand', () => {
    expect(fhsEsMargin({ pnl, model: variant({ confidence: 0.9, apc: { method: 'none' } }) }).esMporUsd).toBeCloseTo(meanWorst(pnl, 2) * Math.SQRT2, 9);
    const exposure = 5e8; // 5e8 USD of BTC delta: 2.5 days at 10 % of a 2e9 ADV
    const r = fhsEsMargin({ pnl, model, exposures: [{ underlying: 'BTC', exposureUsd: exposure }] });
    const M = meanWorst(pnl, 1) * Math.SQRT2;
    expect(r.esMporUsd).toBeCloseTo(M, 9);
    expect(r.apc).toMatchObject({ method: 'buffer', bufferUsed: 0 });
    expect(r.apc.marginUsd).toBeCloseTo(1.25 * M, 9);
    expect(r.liquidityAddOnUsd).toBeCloseTo(exposure * (0.0005 + 0.03 * Math.sqrt(0.25)), 6);
    expect(r.liquidationDays).toBeCloseTo(2.8, 14);
    expect(r.concentrationDriver).toBe('BTC');
    expect(r.concentrationAddOnUsd).toBeCloseTo(M * (Math.sqrt(2.8 / 2) - 1), 9);
    expect(r.marginUsd).toBeCloseTo(1.25 * M + r.liquidityAddOnUsd + r.concentrationAddOnUsd, 6);
  });

  it('overlapping 2-day windows: ES of the sums of consecutive scenario P&Ls', () => {
    const r = fhsEsMargin({ pnl, model: variant({ confidence: 0.9, mpor_scaling: 'overlapping', apc: { method: 'none' } }) });
    const sums = Array.from({ length: 19 }, (_, i) => (pnl[i] as number) + (pnl[i + 1] as number));
    expect(r.scenarioCount).toBe(19);
    expect(r.tailCount).toBe(2); // ceil(19 x 0.1) = ceil(1.9)
    expect(r.esMporUsd).toBeCloseTo(Math.max(0, meanWorst(sums, 2)), 9);
    expect(Array.from(overlappingSums([1, 2, 3, 4], 3))).toEqual([6, 9]);
  });
});

describe('anti-procyclicality options (EMIR Art. 28) and add-on caps', () => {
  it('(a) buffer 25 %: full without history, absorbs a rise up to the previous margin, exhausted beyond, rebuilt when falling', () => {
    const cfg = { method: 'buffer', buffer: 0.25 } as const;
    expect(applyApc(cfg, 100).marginUsd).toBe(125);
    expect(applyApc(cfg, 110, { previousMarginUsd: 125 })).toMatchObject({ marginUsd: 125, bufferUsed: 12.5 / 27.5 });
    expect(applyApc(cfg, 130, { previousMarginUsd: 125 })).toMatchObject({ marginUsd: 130, bufferUsed: 1 });
    expect(applyApc(cfg, 80, { previousMarginUsd: 125 })).toMatchObject({ marginUsd: 100, bufferUsed: 0 });
  });

  it('(b) stressed weight 25 %: 0.25 max(stressed, current) + 0.75 current, from the stressed P&L vector', () => {
    expect(applyApc({ method: 'stressed-weight', weight: 0.25 }, 100, { stressedMarginUsd: 300 }).marginUsd).toBe(150);
    expect(applyApc({ method: 'stressed-weight', weight: 0.25 }, 100, { stressedMarginUsd: 50 }).marginUsd).toBe(100);
    const m = variant({ confidence: 0.5, mpor_scaling: 'none', apc: { method: 'stressed-weight', weight: 0.25 } });
    const r = fhsEsMargin({ pnl: [-10, 0, 5, 5], stressedPnl: [-100, -60, 0, 0], model: m });
    expect(r.esMporUsd).toBe(5); // mean of the 2 worst losses 10 and 0
    expect(r.apc.referenceMarginUsd).toBe(80);
    expect(r.marginUsd).toBe(0.25 * 80 + 0.75 * 5);
    expect(() => fhsEsMargin({ pnl: [-10, 0, 5, 5], model: m })).toThrow(/stressedPnl/);
  });

  it('(c) floor: max(current, margin over the long lookback)', () => {
    const m = variant({ confidence: 0.5, mpor_scaling: 'none', apc: { method: 'floor', lookback_years: 10 } });
    expect(fhsEsMargin({ pnl: [-10, 0, 5, 5], floorPnl: [-40, -20, 0, 0], model: m }).marginUsd).toBe(30);
    expect(fhsEsMargin({ pnl: [-10, 0, 5, 5], floorMarginUsd: 2, model: m }).marginUsd).toBe(5);
    expect(() => fhsEsMargin({ pnl: [-10, 0, 5, 5], model: m })).toThrow(/floorPnl/);
  });

  it('concentration add-on is capped at max_days and at 50 % of the ES margin; small exposures add none', () => {
    const pnl = [-100, 0, 0, 0];
    const m = variant({ confidence: 0.75, mpor_scaling: 'none', apc: { method: 'none' } });
    const uncapped = { ...m, concentration: { ...m.concentration, max_fraction_of_margin: 1 } };
    const huge = fhsEsMargin({ pnl, model: uncapped, exposures: [{ underlying: 'DOGE', exposureUsd: -1e12 }] });
    expect(huge.liquidationDays).toBe(5);
    expect(huge.concentrationAddOnUsd).toBeCloseTo(100 * (Math.sqrt(2.5) - 1), 12);
    const capped = fhsEsMargin({ pnl, model: { ...m, concentration: { ...m.concentration, max_days: 50 } }, exposures: [{ underlying: 'DOGE', exposureUsd: 1e12 }] });
    expect(capped.concentrationAddOnUsd).toBe(50);
    const small = fhsEsMargin({ pnl, model: m, exposures: [{ underlying: 'BTC', exposureUsd: 1e6 }, { underlying: 'BTC', exposureUsd: -2e6 }] });
    expect(small.concentrationAddOnUsd).toBe(0);
    expect(small.liquidityAddOnUsd).toBeCloseTo(1e6 * (0.0005 + 0.03 * Math.sqrt(1e6 / 2e9)), 9); // net |-1e6|
  });
});

describe('FHS-ES margin: model, invariants, errors', () => {
  it('the model file validates with the EMIR/CCP anchors', () => {
    const v = validateFhsEsModel(model);
    expect(v.ok).toBe(true);
    if (v.ok) expect(v.value).toMatchObject({ confidence: 0.995, mpor_days: 2, mpor_scaling: 'sqrt', apc: { method: 'buffer', buffer: 0.25 } });
    const bad = validateFhsEsModel(variant({ confidence: 1, mpor_scaling: 'overlapping', mpor_days: 3, scenario_horizon_days: 2, apc: { method: 'buffer' } }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path).sort()).toEqual(['apc.buffer', 'confidence', 'mpor_days']);
    expect(() => fhsEsMargin({ pnl: [1], model: { ...model, mpor_days: 0 } })).toThrow(ModelValidationError);
  });

  it('margin >= 0 and finite for 300 seeded random P&L vectors under every MPOR scaling and APC option', () => {
    const rng = createRng('fhs-es-property');
    const apcs = [{ method: 'none' }, { method: 'buffer', buffer: 0.25 }, { method: 'stressed-weight', weight: 0.25 }, { method: 'floor', lookback_years: 10 }];
    const scalings = ['sqrt', 'overlapping', 'none'];
    for (let t = 0; t < 300; t++) {
      const n = 2 + Math.floor(rng.nextFloat64() * 600);
      const drift = (rng.nextFloat64() - 0.3) * 50; // some books gain in most scenarios
      const vec = () => Float64Array.from({ length: n }, () => drift + rng.nextNormal() * 10 ** (1 + 4 * rng.nextFloat64()));
      const input: FhsEsMarginInput = {
        pnl: vec(), stressedPnl: vec(), floorPnl: vec(), previousMarginUsd: rng.nextFloat64() * 1e4,
        exposures: [{ underlying: ['BTC', 'ETH', 'XRP'][t % 3] as string, exposureUsd: (rng.nextFloat64() - 0.5) * 10 ** (9 * rng.nextFloat64()) }],
        model: variant({ apc: apcs[t % 4], mpor_scaling: scalings[t % 3], confidence: [0.99, 0.995, 0.975][t % 3] }),
      };
      const r = fhsEsMargin(input);
      for (const x of [r.esMporUsd, r.apc.marginUsd, r.liquidityAddOnUsd, r.concentrationAddOnUsd, r.marginUsd]) {
        expect(Number.isFinite(x) && x >= 0).toBe(true);
      }
      expect(r.apc.marginUsd).toBeGreaterThanOrEqual(r.esMporUsd);
    }
  });

  it('bad inputs name the field', () => {
    expect(() => fhsEsMargin({ pnl: [1, Number.NaN], model })).toThrow(/pnl\[1\]/);
    expect(() => fhsEsMargin({ pnl: [1], model: variant({ mpor_scaling: 'overlapping' }) })).toThrow(/pnl\.length/);
    expect(() => fhsEsMargin({ pnl: [1, 2], model, exposures: [{ underlying: 'BTC', exposureUsd: Infinity }] })).toThrow(/exposures\[0\]\.exposureUsd/);
    expect(() => fhsEsMargin({ pnl: [1, 2], model, previousMarginUsd: -1 })).toThrow(MarginInputError);
  });
});

describe('fhsEsMarginOfModel', () => {
  it('equals fhsEsMargin on the same inputs with the model validated once (APC buffer, add-ons, stressed vector)', () => {
    const rng = createRng(7);
    const validated = validateFhsEsModel(model);
    if (!validated.ok) throw new Error('the released model must validate');
    for (let trial = 0; trial < 20; trial++) {
      const pnl = Float64Array.from({ length: 500 }, () => 1e5 * rng.nextNormal());
      const input = {
        pnl, exposures: [{ underlying: 'BTC', exposureUsd: 2e7 * rng.nextNormal() }, { underlying: 'ETH', exposureUsd: 5e6 }],
        ...(trial % 2 === 0 ? { previousMarginUsd: 3e5 * rng.nextFloat64() } : {}),
      };
      expect(fhsEsMarginOfModel(input, validated.value)).toEqual(fhsEsMargin({ ...input, model }));
    }
  });
});
