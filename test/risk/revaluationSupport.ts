/** Shared fixtures of the risk tests (committed files only; tests never read ../shared). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildScenarioSet, venueGridScenarios, type DeribitGridModel, type ScenarioDraft, type ScenarioSet } from '../../src/scenarios/index.ts';
import { createRng } from '../../src/math/index.ts';
import type { InstrumentUniverse } from '../../src/risk/index.ts';
import { loadSnapshotUniverse } from '../../src/risk/portfolio/load/index.ts';

/** Absolute path of a repository file. */
export function repoPath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}

/** Parsed JSON of a repository file. */
export function readJson<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(repoPath(relative), 'utf8')) as T;
}

export const FIXTURE_SNAPSHOT = 'fixtures/market/deribit_2025_2026/deribit_options_snapshot_20260204T213308Z.csv';
export const FIXTURE_ACCOUNTS = 'fixtures/portfolios/fixture-accounts.json';

let universe: Promise<InstrumentUniverse> | undefined;
/** The BTC + ETH universe of the fixture snapshot (cached). */
export function fixtureUniverse(): Promise<InstrumentUniverse> {
  universe ??= loadSnapshotUniverse(repoPath(FIXTURE_SNAPSHOT));
  return universe;
}

/** The venue grid (models/scenarios/deribit-grid/1.0.0.json) for BTC and ETH (ETH on the BTC pair's parameters). */
export function venueGrid(): ScenarioSet {
  const model = readJson<DeribitGridModel>('models/scenarios/deribit-grid/1.0.0.json');
  return venueGridScenarios(model, { underlyings: ['BTC', 'ETH'], pairs: { ETH: 'btc_usd' } });
}

/**
 * A seeded FHS-like set: `count` scenarios of correlated BTC/ETH returns (daily vol ~4 % x sqrt(horizon)), USDC mostly
 * flat with rare small depegs, relative and term-scaled vol rules, horizons of 0-5 days.
 */
export function randomScenarioSet(count: number, seed: number | string): ScenarioSet {
  const rng = createRng(seed);
  const up = { kind: 'term-scaled' as const, shift: 0.3, power: 0.3, longTermPower: 0.13, referenceDays: 30, floorDays: 1, minBaseVol: 0.4 };
  const down = { kind: 'term-scaled' as const, shift: -0.2, power: 0.3, longTermPower: 0.13, referenceDays: 30, floorDays: 1 };
  const drafts: ScenarioDraft[] = [];
  for (let i = 0; i < count; i++) {
    const h = Math.floor(rng.nextFloat64() * 6);
    const z1 = rng.nextNormal();
    const z2 = 0.8 * z1 + 0.6 * rng.nextNormal();
    const sd = 0.04 * Math.sqrt(Math.max(h, 1));
    const btc = Math.expm1(sd * z1);
    const eth = Math.expm1(1.3 * sd * z2);
    const usdc = rng.nextFloat64() < 0.02 ? -0.03 * rng.nextFloat64() : 0;
    const u = rng.nextFloat64();
    const rule = u < 0.3 ? up : u < 0.6 ? down : { kind: 'relative' as const, factor: Math.exp(0.15 * rng.nextNormal()) };
    drafts.push({ id: `rnd:${i}`, label: `random ${i}`, spotReturns: [btc, eth, usdc], volShifts: [rule, rule, { kind: 'parallel', shift: 0 }], timeStepDays: h, weight: 1 });
  }
  return buildScenarioSet({
    id: `random:${seed}`, kind: 'filtered-historical', modelVersion: 'test/random@1.0.0', underlyings: ['BTC', 'ETH', 'USDC'],
    weightMeaning: 'probability', scenarios: drafts,
  });
}
