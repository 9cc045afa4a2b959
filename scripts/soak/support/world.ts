/**
 * The soak's world: a temporary SQLite store seeded like a real calibration (test/api/support/seed.ts, as
 * scripts/bench/api.ts does) with one promoted base run and a supply of candidate runs, every run with its own
 * synthetic P&L matrix (its own seed and scale) and collateral scale, so each account's margin differs from run to
 * run and every answer can be checked against the run it names. Also the keys an operator and the clients hold, and
 * the answers expected from each run (kept in memory: no matrices, only the figures the responses carry).
 *
 * Accounts are those of fixtures/portfolios/fixture-accounts.json (the first `accounts` of them), collateral valued
 * at the 2026-02-04 spot prices; instruments are the ones their books hold. Money in USD throughout.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '../../../src/math/index.ts';
import { scenarioMargin, type ScenarioPosition } from '../../../src/risk/index.ts';
import { createApiKey, openStore, promoteRun, revokeApiKey } from '../../../src/store/index.ts';
import { seedRun, type SeedAccount, type SeedInstrument } from '../../../test/api/support/seed.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** Spot prices of 2026-02-04 (BTC-PERPETUAL and ETH-PERPETUAL marks of the fixture snapshot), USD. */
const SPOT: Readonly<Record<string, number>> = { BTC: 73_083, ETH: 2_143.35, USDC: 1, USDT: 1 };

/** The stored figures of one account in one run (USD). */
export interface ExpectedAccount {
  readonly desk: string;
  readonly initialMarginUsd: number;
  readonly maintenanceMarginUsd: number;
  readonly collateralValueUsd: number;
}

/** What every answer served from one run must say. */
export interface ExpectedRun {
  readonly runId: string;
  /** The P&L scale of the run: its BTC surface's `parameters.scale`. */
  readonly scale: number;
  readonly accounts: ReadonlyMap<string, ExpectedAccount>;
  /** The run's scenarioMargin of the world's what-if portfolio (USD). */
  readonly whatIf: { readonly initialMarginUsd: number; readonly maintenanceMarginUsd: number };
}

/** Bearer keys the soak uses. */
export interface WorldKeys {
  readonly admin: string;
  readonly analyst: string;
  /** Desk keys by desk name. */
  readonly desks: Readonly<Record<string, string>>;
  /** A revoked analyst key (401). */
  readonly revoked: string;
  /** A well-formed key whose secret is wrong (401). */
  readonly wrongSecret: string;
}

/** The seeded world (see the module comment). */
export interface SoakWorld {
  readonly db: string;
  readonly keys: WorldKeys;
  /** The promoted base run, then the candidates in the order an operator promotes them. */
  readonly baseRunId: string;
  readonly candidates: readonly string[];
  readonly runs: ReadonlyMap<string, ExpectedRun>;
  /** The active-calibration generation after the base run was promoted. */
  readonly baseGeneration: number;
  readonly accountIds: readonly string[];
  /** Account ids by desk. */
  readonly byDesk: ReadonlyMap<string, readonly string[]>;
  /** The what-if portfolio (distinct instruments of the calibration). */
  readonly portfolio: readonly ScenarioPosition[];
  readonly instruments: number;
  readonly scenarios: number;
}

/** Options of {@link seedWorld}. */
export interface WorldOptions {
  /** Directory for the database (the caller removes it). */
  readonly dir: string;
  /** How many fixture accounts (default all 3000). */
  readonly accounts?: number;
  /** Scenarios per run (columns of each P&L matrix). */
  readonly scenarios: number;
  /** Candidate runs to seed besides the base run. */
  readonly candidates: number;
  /** Positions of the what-if portfolio (default 50). */
  readonly portfolioSize?: number;
  readonly seed: number;
}

interface FixtureAccount {
  readonly id: string;
  readonly desk: string;
  readonly positions: readonly { readonly instrument: string; readonly quantity: number }[];
  readonly collateral: readonly { readonly asset: string; readonly quantity: number }[];
}

/** One instrument row from its Deribit name (the bench's rough delta/convexity per unit at 2026-02-04 spot). */
export function instrumentOf(name: string): SeedInstrument {
  const [under = name, , strike, type] = name.split('-');
  const spot = SPOT[under];
  if (spot === undefined || under === 'USDC' || under === 'USDT') return { id: name, underlying: null, deltaUsdPerUnit: 0, gammaUsdPerUnit: 0 };
  if (type === 'C' || type === 'P') {
    const moneyness = Math.log(spot / Number(strike));
    const callDelta = 1 / (1 + Math.exp(-4 * moneyness));
    const delta = type === 'C' ? callDelta : callDelta - 1;
    return { id: name, underlying: under, deltaUsdPerUnit: delta * spot, gammaUsdPerUnit: 2 * spot * callDelta * (1 - callDelta) };
  }
  return { id: name, underlying: under, deltaUsdPerUnit: spot, gammaUsdPerUnit: 0 };
}

/** Run k's P&L scale: 1, 1.08, 1.16, ... (so the surfaces tell the runs apart too). */
function scaleOf(k: number): number {
  return Math.round((1 + 0.08 * k) * 100) / 100;
}

/** Seeds the store (see the module comment); `progress` hears one line per seeded run. */
export async function seedWorld(options: WorldOptions, progress: (line: string) => void = () => undefined): Promise<SoakWorld> {
  const doc = JSON.parse(readFileSync(join(ROOT, 'fixtures/portfolios/fixture-accounts.json'), 'utf8')) as { accounts: FixtureAccount[] };
  const fixture = doc.accounts.slice(0, options.accounts ?? doc.accounts.length);
  const names = [...new Set(fixture.flatMap((a) => a.positions.map((p) => p.instrument)))].sort();
  const instruments = names.map(instrumentOf);
  const accounts: SeedAccount[] = fixture.map((a) => ({
    id: a.id,
    desk: a.desk,
    positions: a.positions,
    collateralUsd: a.collateral.reduce((s, c) => s + c.quantity * (SPOT[c.asset] ?? 0), 0),
  }));
  const rng = createRng(options.seed + 1);
  const picked = new Set<number>();
  const size = Math.min(options.portfolioSize ?? 50, names.length);
  while (picked.size < size) picked.add(rng.nextInt(names.length));
  const portfolio = [...picked].map((i) => ({ instrument: names[i] as string, quantity: Math.round((rng.nextFloat64() * 20 - 10) * 10) / 10 || 1 }));

  const db = join(options.dir, 'soak.db');
  const store = await openStore(db);
  try {
    const runs = new Map<string, ExpectedRun>();
    const ids: string[] = [];
    for (let k = 0; k <= options.candidates; k++) {
      const runId = `soak-r${String(k).padStart(2, '0')}`;
      const t0 = performance.now();
      const scale = scaleOf(k);
      const seeded = await seedRun(store, {
        id: runId, instruments, accounts, scenarioCount: options.scenarios, seed: options.seed + 7 * k, scale,
        collateralScale: 1 - 0.01 * k, incident: k % 2 === 1,
      });
      const m = scenarioMargin(seeded.model, seeded.matrix, seeded.scenarioIds.length, portfolio);
      runs.set(runId, {
        runId,
        scale,
        accounts: new Map([...seeded.margins].map(([id, a]) => [id, {
          desk: a.desk, initialMarginUsd: a.initialMargin, maintenanceMarginUsd: a.maintenanceMargin, collateralValueUsd: a.collateralValue,
        }])),
        whatIf: { initialMarginUsd: m.initialMarginUsd, maintenanceMarginUsd: m.maintenanceMarginUsd },
      });
      ids.push(runId);
      progress(`seeded ${runId} (scale ${scale}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const [baseRunId, ...candidates] = ids as [string, ...string[]];
    const base = await promoteRun(store, baseRunId, { actor: 'soak', gates: [] });
    const deskNames = [...new Set(accounts.map((a) => a.desk))].sort();
    const desks: Record<string, string> = {};
    for (const desk of deskNames) desks[desk] = (await createApiKey(store, { role: 'desk', desk, actor: 'soak' })).key;
    const admin = (await createApiKey(store, { role: 'admin', actor: 'soak' })).key;
    const analyst = (await createApiKey(store, { role: 'analyst', actor: 'soak' })).key;
    const revoked = await createApiKey(store, { role: 'analyst', actor: 'soak' });
    await revokeApiKey(store, revoked.record.id, { actor: 'soak', reason: 'soak: a revoked key must be refused' });
    const secretAt = analyst.indexOf('.') + 1;
    const wrongSecret = `${analyst.slice(0, secretAt)}${analyst.slice(secretAt).split('').reverse().join('')}`;
    const byDesk = new Map<string, string[]>();
    for (const a of accounts) byDesk.set(a.desk, [...(byDesk.get(a.desk) ?? []), a.id]);
    return {
      db,
      keys: { admin, analyst, desks, revoked: revoked.key, wrongSecret },
      baseRunId,
      candidates,
      runs,
      baseGeneration: base.generation,
      accountIds: accounts.map((a) => a.id),
      byDesk,
      portfolio,
      instruments: instruments.length,
      scenarios: options.scenarios,
    };
  } finally {
    await store.close();
  }
}
