/**
 * A realistic sample report input for the report tests: the fixture incident (fixtures/incidents/2026-02-05-
 * drawdown.json) with hashes of real fixture files, and synthetic but plausible pipeline outputs made with a seeded
 * generator: BTC/ETH smiles around the incident's forwards (BTC 73,083 -> 63,844.5, ETH 2,143.35 -> 1,876.25) with
 * ATM vols near the incident note's (BTC front week ~56 % before, ~148 % at the trough), a 6-asset factor
 * correlation that tightens, scenario P&L, 300 accounts with margins and calls, waterfall attributions summing to
 * the cent, and two 500-day backtests whose tests come from src/backtest. Not a pipeline output: a shape-and-scale
 * sample for rendering.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { christoffersen, kupiec, trafficLight } from '../../src/backtest/index.ts';
import { createRng } from '../../src/math/index.ts';
import type {
  AccountAttributionInput, AccountMarginInput, BacktestInput, ReportExpirySmile, ReportInput, ReportSmileSide, ReportTermPoint, SurfaceInput,
} from '../../src/report/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sha256Of = (path: string): string => createHash('sha256').update(readFileSync(`${root}${path}`)).digest('hex');
const cents = (x: number): number => Math.round(x * 100) / 100;

interface Incident { id: string; title: string; kind: string; startedAt: string; endedAt: string }

/** Smile vol(k) = atm (1 + skew x + curv x^2), x = k / (atm sqrt T): a stand-in for a fitted SVI slice. */
function smileVol(atm: number, skew: number, curv: number, t: number, k: number): number {
  const x = k / (atm * Math.sqrt(t));
  return atm * (1 + skew * x + curv * x * x);
}

function side(rng: ReturnType<typeof createRng>, forward: number, atm: number, skew: number, curv: number, t: number, strikeStep: number): ReportSmileSide {
  const kMax = Math.min(0.9, Math.max(0.08, 2.2 * atm * Math.sqrt(t)));
  const fit = [];
  for (let i = -40; i <= 40; i++) {
    const k = (kMax * i) / 40;
    fit.push({ k, strike: forward * Math.exp(k), vol: smileVol(atm, skew, curv, t, k) });
  }
  const quotes = [];
  const lo = Math.ceil((forward * Math.exp(-kMax)) / strikeStep) * strikeStep;
  for (let strike = lo; strike <= forward * Math.exp(kMax); strike += strikeStep) {
    const k = Math.log(strike / forward);
    const mid = smileVol(atm, skew, curv, t, k) + 0.006 * rng.nextNormal();
    const half = 0.01 + 0.02 * Math.abs(k) / kMax + 0.01 * rng.nextFloat64();
    quotes.push({ strike, k, bidVol: mid - half > 0.02 ? mid - half : null, askVol: mid + half, midVol: mid });
  }
  return { forward, quotes, fit };
}

function surface(seed: string, underlying: string, fBefore: number, fAfter: number, strikeStep: number, atmBefore: number, atmAfterFront: number): SurfaceInput {
  const rng = createRng(seed);
  const expiries: ReportExpirySmile[] = [];
  const termStructure: ReportTermPoint[] = [];
  const days: [string, number][] = [['2026-02-06', 1.45], ['2026-02-13', 8.45], ['2026-02-27', 22.45], ['2026-03-27', 50.45], ['2026-06-26', 141.45], ['2026-09-25', 232.45]];
  for (const [expiry, d] of days) {
    const t = d / 365;
    const aB = atmBefore + 0.02 * Math.log(d);
    const aA = 0.62 + (atmAfterFront - 0.62) * Math.exp(-d / 12);
    const before = side(rng, fBefore, aB, -0.06, 0.05, t, strikeStep);
    const after = side(rng, fAfter, aA, -0.14, 0.08, t, strikeStep);
    expiries.push({ expiry, timeYears: t, before, after });
    const z = 0.6745;
    const rrbf = (a: number, skew: number, curv: number): [number, number] => {
      const up = smileVol(a, skew, curv, t, z * a * Math.sqrt(t));
      const dn = smileVol(a, skew, curv, t, -z * a * Math.sqrt(t));
      return [up - dn, (up + dn) / 2 - a];
    };
    const [rrB, bfB] = rrbf(aB, -0.06, 0.05);
    const [rrA, bfA] = rrbf(aA, -0.14, 0.08);
    termStructure.push({ expiry, timeYears: t, atmVolBefore: aB, atmVolAfter: aA, rr25Before: rrB, rr25After: rrA, bf25Before: bfB, bf25After: bfA });
  }
  return { underlying, expiries: expiries.reverse(), termStructure };
}

function factorCorrelation(loadings: number[]): number[][] {
  return loadings.map((a, i) => loadings.map((b, j) => (i === j ? 1 : a * b)));
}

/** Options to perturb the sample (tests inject hostile strings through these). */
export interface SampleOptions {
  readonly accountPrefix?: string;
  readonly assetName?: string;
  readonly accounts?: number;
}

/** The sample report input (deterministic: same options, same value). */
export function sampleReportInput(options: SampleOptions = {}): ReportInput {
  const incident = JSON.parse(readFileSync(`${root}fixtures/incidents/2026-02-05-drawdown.json`, 'utf8')) as Incident;
  const rng = createRng('report-sample-accounts');
  const desks = ['options-mm', 'vol-arb', 'delta-one', 'treasury'];
  const nAccounts = options.accounts ?? 300;
  const prefix = options.accountPrefix ?? 'acct-';
  const accounts: AccountMarginInput[] = [];
  for (let i = 0; i < nAccounts; i++) {
    const before = cents(Math.exp(10.5 + 1.1 * rng.nextNormal()));
    const after = cents(Math.max(0, before * (1.22 + 0.28 * rng.nextNormal())));
    const collateral = before * (1.05 + 0.6 * rng.nextFloat64());
    accounts.push({
      accountId: `${prefix}${String(i + 1).padStart(4, '0')}`, desk: desks[i % desks.length] as string,
      before, after, marginCall: cents(Math.max(0, after - collateral)),
    });
  }
  const ranked = [...accounts].sort((a, b) => (b.after - b.before) - (a.after - a.before)).slice(0, 15);
  const attributions: AccountAttributionInput[] = ranked.map((a, i) => {
    const changeCents = Math.round((a.after - a.before) * 100);
    const surfaceCents = Math.round(changeCents * (0.45 + 0.02 * i));
    const scenarioCents = Math.round(changeCents * 0.35);
    return {
      accountId: a.accountId,
      effects: [
        { name: 'surface', amount: surfaceCents / 100 },
        { name: 'scenarios', amount: scenarioCents / 100 },
        { name: 'addOns', amount: (changeCents - surfaceCents - scenarioCents) / 100 },
      ],
      worstScenario: { name: i % 2 === 0 ? 'BTC −16 %, vol +60 %' : 'incident replay 2026-02-05', pnl: -cents(a.after * 0.97) },
      drivers: [
        { instrument: 'BTC-27MAR26-60000-P', pnl: -cents(a.after * 0.61) },
        { instrument: 'BTC-PERPETUAL', pnl: -cents(a.after * 0.29) },
        { instrument: 'ETH-27FEB26-1800-P', pnl: -cents(a.after * 0.07) },
      ],
    };
  });
  const grid: number[] = [];
  for (let p = -16; p <= 16; p += 2) for (let v = -0.5; v <= 1.5; v += 0.25) grid.push(cents(-3.1e6 * (p / 16) ** 2 + 1.4e6 * (p / 16) - 0.9e6 * v));
  const prng = createRng('report-sample-pnl');
  const hist: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const u = prng.nextNormal();
    hist.push(cents(4.2e5 * u * (1 + 0.6 * Math.abs(prng.nextNormal()))));
  }
  const assets = ['BTC', 'ETH', 'SOL', 'XRP', 'BNB', options.assetName ?? 'DOGE'];
  const backtests = backtestsOf();
  return {
    provenance: {
      runId: 'run-2026-02-05-0001', incident: { id: incident.id, title: incident.title, kind: incident.kind, startedAt: incident.startedAt, endedAt: incident.endedAt },
      asOf: '2026-02-05T22:00:00Z',
      inputs: [
        'fixtures/portfolios/fixture-accounts.json', 'fixtures/incidents/2026-02-05-drawdown.json', 'fixtures/backtest/crypto-stress-periods.json',
      ].map((name) => ({ name, sha256: sha256Of(name) })),
      models: [
        { family: 'margin', name: 'deribit-pm', version: '1.0.0' }, { family: 'scenarios', name: 'deribit-grid', version: '1.0.0' },
        { family: 'incident-policy', name: 'default', version: '1.0.0' }, { family: 'haircuts', name: 'default', version: '1.0.0' },
      ],
      codeVersion: 'aftershock 0.1.0 (fff9091)',
      seed: 20260205,
    },
    surfaces: [
      surface('report-sample-btc', 'BTC', 73083, 63844.5, 1000, 0.48, 1.48),
      surface('report-sample-eth', 'ETH', 2143.35, 1876.25, 50, 0.6, 1.6),
    ],
    correlations: [{
      label: 'EWMA daily log returns (λ = 0.94), shrunk', assets,
      before: factorCorrelation([0.86, 0.82, 0.7, 0.6, 0.66, 0.58]),
      after: factorCorrelation([0.95, 0.94, 0.88, 0.8, 0.85, 0.78]),
    }],
    scenarioPnl: [
      { scenarioSet: 'venue grid (price ±16 % × vol −50…+150 %)', portfolio: 'all accounts', values: grid },
      { scenarioSet: 'filtered historical (1,000 days)', portfolio: 'all accounts', values: hist },
    ],
    accounts,
    attributions,
    backtests,
  };
}

function backtestsOf(): BacktestInput[] {
  const rng = createRng('report-sample-backtest');
  const n = 500;
  const start = Date.UTC(2024, 8, 2);
  const dates: string[] = [];
  const pnl: number[] = [];
  const sigma: number[] = [];
  let s = 1e5;
  for (let i = 0; i < n; i++) {
    dates.push(new Date(start + i * 86_400_000).toISOString().slice(0, 10));
    const shock = rng.nextNormal();
    s = Math.sqrt(0.9 * s * s + 0.1 * (1e5 * (1 + 0.8 * (i > 420 && i < 445 ? 2.5 : 0))) ** 2);
    sigma.push(s);
    pnl.push(cents(s * shock * (rng.nextFloat64() < 0.05 ? 1.8 : 1)));
  }
  const of = (calibration: string, multiplier: number, lagged: boolean): BacktestInput => {
    const margin = sigma.map((v, i) => cents(multiplier * (lagged ? (sigma[Math.max(0, i - 5)] as number) : v)));
    const exceptions = margin.map((m, i) => -(pnl[i] as number) > m);
    const k = kupiec(exceptions, 0.99);
    const c = christoffersen(exceptions, 0.99);
    const tl = trafficLight(exceptions, 0.99);
    return {
      calibration, coverage: 0.99, horizonDays: 2, dates, margin, pnl, exceptions,
      tests: {
        expectedExceptions: k.expectedExceptions, kupiecLr: k.lr, kupiecP: k.pValue, kupiecExactP: k.pValueExact,
        christoffersenLr: c.independence.lr, christoffersenP: c.independence.pValue,
        conditionalCoverageLr: c.conditionalCoverage.lr, conditionalCoverageP: c.conditionalCoverage.pValue, zone: tl.zone,
      },
    };
  };
  return [of('pre-incident', 2.05, true), of('post-incident', 2.75, false)];
}
