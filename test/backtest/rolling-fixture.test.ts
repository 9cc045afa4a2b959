/**
 * The rolling backtest on the fixture daily history 2017-2026 (fixtures/market/crypto_daily) with the 2026-02-05
 * drawdown (fixtures/incidents), the incident policy and margin/fhs-es@1.0.0 from models/, and the named stress
 * periods of fixtures/backtest/crypto-stress-periods.json. Prints the pre- vs post-incident comparison.
 */
import { describe, expect, it } from 'vitest';
import { alignLogReturns, createReturnsPanel, type AlignedReturns, type ReturnsPanel } from '../../src/market/index.ts';
import { expectedShortfall } from '../../src/risk/index.ts';
import {
  expectValid, filteredHistoricalScenarios, incidentWindowTreatment, validateIncidentPolicy, type NamedPeriod,
} from '../../src/scenarios/index.ts';
import {
  compareCalibrations, createFhsEsMarginModel, historyView, incidentCalibrations, runRollingBacktest,
  type CalibrationComparison, type LinearBook,
} from '../../src/backtest/index.ts';
import { cryptoDailySeries, drawdownIncident, readJson } from '../scenarios/helpers.ts';

const incident = drawdownIncident();
const policy = expectValid(validateIncidentPolicy(readJson('models/incident-policy/1.0.0.json')), 'incident-policy');
const fhsModel = readJson('models/margin/fhs-es/1.0.0.json') as Record<string, unknown>;
const stressPeriods = (readJson('fixtures/backtest/crypto-stress-periods.json') as { periods: NamedPeriod[] }).periods;
const windowTreatment = incidentWindowTreatment(incident, policy); // market-shock -> keep-as-stress
const MPOR = 2; // margin/fhs-es@1.0.0 mpor_days
const calibrations = incidentCalibrations({ incident, policy, fhsEsModel: fhsModel, mporDays: MPOR, stressPeriods });
const evaluation = {
  seed: 'backtest-2026-02-05', z2Simulations: 1000, trafficLightWindows: [250],
  periods: [{ name: 'before incident', from: '0000-01-01', to: '2026-02-03' }, { name: 'from incident', from: '2026-02-04', to: '9999-12-31' }],
};
const align = (assets?: string[]): AlignedReturns =>
  alignLogReturns(cryptoDailySeries(), { gaps: 'drop-row', ...(assets === undefined ? {} : { assets }), windows: [windowTreatment] });

// Multi-asset book: explicit delta-equivalent USD exposures (a long crypto book with a short BCH hedge), the kind of
// net deltas the fixture accounts carry; documented here, not derived from an account.
const MULTI: LinearBook = {
  name: '9-asset delta book',
  exposuresUsd: { BTC: 1_000_000, ETH: 600_000, SOL: 200_000, BNB: 150_000, XRP: 100_000, ADA: 100_000, DOGE: 50_000, TRX: 50_000, BCH: -100_000 },
};

function print(title: string, cmp: CalibrationComparison, ms: number): void {
  const lines = cmp.results.map((r) => {
    const s = r.summary;
    const zones = r.statistics.trafficLight.map((t) => `${t.label}:${t.result.x}/${t.result.n}=${t.result.zone}`).join(' ');
    return `  ${s.label.padEnd(29)} exc ${String(s.exceptions).padStart(3)} (exp ${s.expectedExceptions.toFixed(1)}) zone ${String(s.zone).padEnd(6)} coverage ${(s.coverageRatio * 100).toFixed(2)}% ` +
      `(target ${(s.coverage * 100).toFixed(1)}%) kupiec p ${s.kupiecPValue?.toExponential(2)} exact ${s.kupiecPValueExact?.toExponential(2)} CC(non-overl.) p ${s.conditionalCoveragePValue?.toFixed(3)} ` +
      `Z2 ${s.z2?.toFixed(3) ?? 'n/a'} (p ${s.z2PValue?.toFixed(3) ?? 'n/a'}) peak/trough ${s.peakToTroughRatio?.toFixed(2)} max 5d +${((s.largest5DayIncrease ?? 0) * 100).toFixed(0)}% mean margin ${(s.meanMarginUsd / 1e3).toFixed(0)}k | ${zones}`;
  });
  console.log(`${title}: ${cmp.from} .. ${cmp.to}, MPOR ${cmp.mporDays} rows, ${ms.toFixed(0)} ms\n${lines.join('\n')}`);
}

function checkRun(cmp: CalibrationComparison): void {
  for (const r of cmp.results) {
    expect(r.run.status, r.label).toBe('complete');
    expect(r.run.counts.failed).toBe(0);
    expect(r.run.counts.mporBeyondHistory).toBe(MPOR);
    expect([...r.run.marginUsd].every((m) => Number.isFinite(m) && m > 0), r.label).toBe(true);
    expect(r.summary.n).toBe(r.run.dates.length - MPOR);
    expect(r.run.dates[0]).toBe(cmp.from);
  }
}

describe('fixture inputs', () => {
  it('every named stress period holds a BTC daily log return below -10 %', () => {
    const btc = align(['BTC']);
    for (const p of stressPeriods) {
      const worst = Math.min(...btc.dates.map((d, t) => (d >= p.from && d <= p.to ? (btc.returns[t] as number) : 0)));
      expect(worst, p.name).toBeLessThan(-0.1);
    }
  });
});

describe('FHS-ES margin model = src/scenarios filtered historical scenarios + src/risk ES', () => {
  it('at one date its ES at the MPOR equals the ES of the book over filteredHistoricalScenarios on the same rows', () => {
    const panel = align(['BTC', 'ETH']);
    const t = panel.dates.indexOf('2024-08-05');
    const L = 500;
    const W = 100;
    const view = historyView(panel, t, L + W);
    const model = createFhsEsMarginModel({ marginModel: fhsModel, volModel: { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: W }, lookbackRows: L, warmupRows: W, liquidityAddOns: false });
    const e = Float64Array.from([300_000, -200_000]);
    const f = model.margin(view, { exposuresUsd: e, book: { name: 'b', exposuresUsd: { BTC: 3e5, ETH: -2e5 } }, mporDays: MPOR });
    const set = filteredHistoricalScenarios(view as ReturnsPanel, {
      model: 'scenarios/filtered-historical', version: '1.0.0', description: 'test', lookback_days: L, mpor_days: 1, mpor_scaling: 'sqrt',
      bootstrap_paths: 1, stress_scaling: 'raw', stress_periods: [], vol_model: { model: 'ewma', lambda: 0.94, init: 'sample', seed_rows: W },
    } as never);
    expect(set.scenarios).toHaveLength(L);
    const pnl = set.scenarios.map((s) => 3e5 * (s.spotReturns[0] as number) - 2e5 * (s.spotReturns[1] as number));
    const es = expectedShortfall(pnl, 0.995) * Math.sqrt(MPOR);
    expect(f.expectedShortfallUsd).toBeCloseTo(es, 6);
    expect(f.components?.['esMporUsd']).toBeCloseTo(es, 6);
    // no previous margin: the 25 % buffer applies in full
    expect(f.components?.['apcMarginUsd']).toBeCloseTo(1.25 * es, 6);
  });
});

describe('no look-ahead on real data: perturbing everything after t leaves the margins up to t bit-identical', () => {
  const panel = align(['BTC', 'ETH']);
  const cut = panel.dates.indexOf('2026-01-19'); // before the incident: its stress tags and add-on lie in the future
  const perturbed = (kind: 'x10' | 'nan'): ReturnsPanel => createReturnsPanel({
    dates: panel.dates,
    assets: panel.assets,
    returns: panel.dates.map((_, t) => [0, 1].map((j) => {
      const r = panel.returns[t * 2 + j] as number;
      return t <= cut ? r : kind === 'x10' ? 10 * r : Number.NaN;
    })),
    weights: panel.dates.map((_, t) => (t <= cut ? (panel.weights[t] as number) : 0.5)),
    tags: panel.tags.map((tags, t) => (t <= cut ? tags : ['stress:made-up-future'])),
  });
  const book: LinearBook = { name: 'BTC/ETH', exposuresUsd: { BTC: 700_000, ETH: -300_000 } };

  for (const kind of ['x10', 'nan'] as const) {
    it(`future returns ${kind === 'x10' ? 'multiplied by 10' : 'replaced by NaN'} (and future tags/weights changed), every calibration`, () => {
      const other = perturbed(kind);
      for (const c of calibrations) {
        const a = runRollingBacktest({ panel, book, mporDays: MPOR, model: c.model, from: '2025-10-01' });
        const b = runRollingBacktest({ panel: other, book, mporDays: MPOR, model: c.model, from: '2025-10-01' });
        const upTo = a.dates.indexOf(panel.dates[cut] as string);
        expect(upTo).toBeGreaterThan(50);
        for (let i = 0; i <= upTo; i++) {
          expect(Object.is(a.marginUsd[i], b.marginUsd[i]), `${c.label} ${a.dates[i]}`).toBe(true);
          expect(Object.is(a.expectedShortfallUsd[i], b.expectedShortfallUsd[i])).toBe(true);
        }
        // and the perturbation is visible after t (the test can fail)
        if (kind === 'x10') expect(a.marginUsd.at(-1)).not.toBe(b.marginUsd.at(-1));
        else expect(b.counts.failed + b.counts.missingData).toBeGreaterThan(0);
      }
    }, 20_000);
  }
});

describe('pre- vs post-incident calibrations on BTC, ETH and the 9-asset book (2017-2026 fixture history)', () => {
  const results = new Map<string, CalibrationComparison>();
  const books: Array<[string, string[] | undefined, LinearBook]> = [
    ['BTC', ['BTC'], { name: 'long 1m BTC', exposuresUsd: { BTC: 1_000_000 } }],
    ['ETH', ['ETH'], { name: 'long 1m ETH', exposuresUsd: { ETH: 1_000_000 } }],
    ['9 assets', undefined, MULTI],
  ];
  for (const [name, assets, book] of books) {
    it(`${name}: finite margins on every date, every calibration complete; comparison printed`, () => {
      const t0 = performance.now();
      const panel = align(assets);
      const cmp = compareCalibrations({ panel, book, mporDays: MPOR, calibrations, evaluation });
      print(name, cmp, performance.now() - t0);
      checkRun(cmp);
      results.set(name, cmp);
      const post = cmp.results.find((r) => r.label === 'fhs-es post-incident');
      const pre = cmp.results.find((r) => r.label === 'fhs-es pre-incident');
      if (post === undefined || pre === undefined) throw new Error('missing calibration');
      // the residual add-on exists only from the incident's close on (2026-02-04 close = 02-05 00:00Z > startedAt)
      post.run.dates.forEach((d, i) => {
        const addOn = post.run.forecasts[i]?.components?.['residualAddOnUsd'] as number;
        if (d < '2026-02-04') expect(addOn, d).toBe(0);
        else expect(addOn, d).toBeGreaterThan(0);
      });
      // the incident rows count as stress observations once they exist
      const stressRows = (d: string): number => post.run.forecasts[post.run.dates.indexOf(d)]?.components?.['stressRows'] as number;
      expect(stressRows('2026-02-05') - stressRows('2026-02-03')).toBe(2);
      // same ES forecast (stress enters through the APC, not the forecast), so the same Z2; different margins
      expect(post.summary.z2).toBe(pre.summary.z2);
      expect(post.run.marginUsd).not.toEqual(pre.run.marginUsd);
    }, 20_000);
  }

  it('reproducible from the seed: a second BTC run gives identical summaries and Z2 critical values', () => {
    const first = results.get('BTC');
    if (first === undefined) throw new Error('the BTC run did not complete');
    const again = compareCalibrations({ panel: align(['BTC']), book: first.book, mporDays: MPOR, calibrations, evaluation });
    expect(again.results.map((r) => r.summary)).toEqual(first.results.map((r) => r.summary));
    again.results.forEach((r, k) => {
      const a = r.statistics.z2;
      const b = first.results[k]?.statistics.z2;
      expect(a).toEqual(b);
      expect(r.run.marginUsd).toEqual(first.results[k]?.run.marginUsd);
    });
  }, 20_000);
});
