/**
 * Synthetic calibrations for the API tests and the API benchmark: a seeded instrument x scenario P&L matrix, the
 * run's margin model (the released fhs-es model, MM = 0.75 IM, optionally the fixture incident's add-on), and account
 * margins computed from them with the same function the API's what-if uses (scenarioMargin), with a format-1
 * attribution. `seedRun` stores all of it (plus surfaces, a correlation matrix, a scenario set and a report) as one
 * finished run through the store's put* functions. No vitest import: scripts/bench/api.ts uses it too.
 *
 * P&L per unit in scenario j: scale x (delta_i r_uj + gamma_i r_uj^2), r_uj the return of the instrument's
 * underlying (BTC: 5 % daily vol, heavy-tailed by a random variance mix; ETH: 0.8 BTC + noise), 0 for stablecoins.
 */
import { readFileSync } from 'node:fs';
import { createRng } from '../../../src/math/index.ts';
import { compileScenarioMargin, portfolioScenarioPnl, positionRows, scenarioMargin } from '../../../src/risk/index.ts';
import type { ScenarioMarginModel, ScenarioPosition } from '../../../src/risk/index.ts';
import {
  createRun, finishRun, putAccountMargins, putCorrelation, putPnlMatrix, putRunMarginModel, putRunReport, putScenarioSet, putSurfaces,
} from '../../../src/store/index.ts';
import type { AccountMarginInput, PromotionGate, Store } from '../../../src/store/index.ts';

const ROOT = new URL('../../../', import.meta.url);
const FHS_ES = JSON.parse(readFileSync(new URL('models/margin/fhs-es/1.0.0.json', ROOT), 'utf8')) as unknown;
const POLICY = JSON.parse(readFileSync(new URL('models/incident-policy/1.0.0.json', ROOT), 'utf8')) as unknown;
const INCIDENT = JSON.parse(readFileSync(new URL('fixtures/incidents/2026-02-05-drawdown.json', ROOT), 'utf8')) as { startedAt: string };

/** One instrument row: id, underlying (null: stablecoin), USD delta and gamma-like P&L coefficients per unit. */
export interface SeedInstrument {
  readonly id: string;
  readonly underlying: string | null;
  readonly deltaUsdPerUnit: number;
  /** P&L per unit per squared return (convexity), USD. */
  readonly gammaUsdPerUnit: number;
}

/** One account to margin. */
export interface SeedAccount {
  readonly id: string;
  readonly desk: string;
  readonly positions: readonly ScenarioPosition[];
  /** Collateral after haircuts, USD. */
  readonly collateralUsd: number;
}

/** The instruments of the small test calibration. */
export const TEST_INSTRUMENTS: readonly SeedInstrument[] = Object.freeze([
  { id: 'BTC-PERPETUAL', underlying: 'BTC', deltaUsdPerUnit: 70_000, gammaUsdPerUnit: 0 },
  { id: 'BTC-27MAR26', underlying: 'BTC', deltaUsdPerUnit: 70_500, gammaUsdPerUnit: 0 },
  { id: 'BTC-27MAR26-90000-C', underlying: 'BTC', deltaUsdPerUnit: 14_000, gammaUsdPerUnit: 90_000 },
  { id: 'BTC-27MAR26-60000-P', underlying: 'BTC', deltaUsdPerUnit: -12_000, gammaUsdPerUnit: 80_000 },
  { id: 'ETH-PERPETUAL', underlying: 'ETH', deltaUsdPerUnit: 2_100, gammaUsdPerUnit: 0 },
  { id: 'ETH-27MAR26-2500-C', underlying: 'ETH', deltaUsdPerUnit: 700, gammaUsdPerUnit: 3_000 },
  { id: 'ETH-27MAR26-1800-P', underlying: 'ETH', deltaUsdPerUnit: -600, gammaUsdPerUnit: 2_800 },
  { id: 'USDC', underlying: null, deltaUsdPerUnit: 0, gammaUsdPerUnit: 0 },
]);

/** The accounts of the small test calibration: three desks. */
export const TEST_ACCOUNTS: readonly SeedAccount[] = Object.freeze([
  { id: 'ACC-R1', desk: 'retail', collateralUsd: 80_000, positions: [{ instrument: 'BTC-27MAR26-90000-C', quantity: -0.6 }] },
  { id: 'ACC-R2', desk: 'retail', collateralUsd: 50, positions: [{ instrument: 'ETH-27MAR26-2500-C', quantity: 10 }, { instrument: 'ETH-PERPETUAL', quantity: -2 }] },
  { id: 'ACC-R3', desk: 'retail', collateralUsd: 30_000, positions: [{ instrument: 'BTC-PERPETUAL', quantity: 0.8 }] },
  { id: 'ACC-R4', desk: 'retail', collateralUsd: 1_000, positions: [{ instrument: 'BTC-27MAR26-60000-P', quantity: -1 }, { instrument: 'BTC-27MAR26-90000-C', quantity: -1 }] },
  { id: 'ACC-M1', desk: 'mm', collateralUsd: 900_000, positions: [
    { instrument: 'BTC-27MAR26-90000-C', quantity: -3.5 }, { instrument: 'BTC-27MAR26-60000-P', quantity: 2 },
    { instrument: 'BTC-PERPETUAL', quantity: 0.4 }, { instrument: 'ETH-27MAR26-1800-P', quantity: -20 },
  ] },
  { id: 'ACC-M2', desk: 'mm', collateralUsd: 150_000, positions: [{ instrument: 'BTC-27MAR26', quantity: -2 }, { instrument: 'BTC-PERPETUAL', quantity: 2 }] },
  { id: 'ACC-M3', desk: 'mm', collateralUsd: 50_000, positions: [{ instrument: 'ETH-PERPETUAL', quantity: 40 }] },
  { id: 'ACC-V1', desk: 'vol-arb', collateralUsd: 400_000, positions: [
    { instrument: 'BTC-27MAR26-90000-C', quantity: 5 }, { instrument: 'BTC-27MAR26-60000-P', quantity: 5 }, { instrument: 'BTC-PERPETUAL', quantity: -0.2 },
  ] },
  { id: 'ACC-V2', desk: 'vol-arb', collateralUsd: 10_000, positions: [{ instrument: 'USDC', quantity: 10_000 }] },
]);

/** A seeded P&L matrix over `instruments` (row-major, USD per unit) and its scenario ids. */
export function syntheticMatrix(
  instruments: readonly SeedInstrument[], scenarioCount: number, seed: number, scale: number,
): { readonly matrix: Float64Array; readonly scenarioIds: string[] } {
  const rng = createRng(seed);
  const btc = new Float64Array(scenarioCount);
  const eth = new Float64Array(scenarioCount);
  const scenarioIds: string[] = [];
  const day0 = Date.UTC(2021, 0, 1);
  for (let j = 0; j < scenarioCount; j++) {
    const mix = rng.nextFloat64() < 0.05 ? 3 : 1; // 5 % of days with triple volatility: a fat tail
    btc[j] = 0.05 * mix * rng.nextNormal();
    eth[j] = 0.8 * (btc[j] as number) + 0.03 * mix * rng.nextNormal();
    scenarioIds.push(`fhs:${new Date(day0 + j * 86_400_000).toISOString().slice(0, 10)}`);
  }
  const cols = scenarioCount;
  const matrix = new Float64Array(instruments.length * cols);
  instruments.forEach((ins, i) => {
    const r = ins.underlying === 'BTC' ? btc : ins.underlying === 'ETH' ? eth : null;
    if (r === null) return;
    for (let j = 0; j < cols; j++) {
      const x = r[j] as number;
      matrix[i * cols + j] = scale * (ins.deltaUsdPerUnit * x + ins.gammaUsdPerUnit * x * x);
    }
  });
  return { matrix, scenarioIds };
}

/** The stored margin-model definition for `instruments` (format 1), with the fixture incident's add-on if asked. */
export function marginDefinition(instruments: readonly SeedInstrument[], withIncident: boolean): unknown {
  return {
    format: 1,
    fhsEs: FHS_ES,
    maintenanceFactor: 0.75,
    incidentAddOn: withIncident ? { incident: INCIDENT, policy: POLICY, asOfMs: Date.parse(INCIDENT.startedAt) + 2 * 86_400_000 } : null,
    instruments: instruments.map((i) => ({ id: i.id, underlying: i.underlying, deltaUsdPerUnit: i.deltaUsdPerUnit })),
  };
}

/** Account margins computed with scenarioMargin (the API's what-if function), with a format-1 attribution. */
export function accountMargins(
  model: ScenarioMarginModel, matrix: Float64Array, scenarioIds: readonly string[], accounts: readonly SeedAccount[],
): AccountMarginInput[] {
  const cols = scenarioIds.length;
  return accounts.map((a) => {
    const m = scenarioMargin(model, matrix, cols, a.positions);
    const { rows, quantities } = positionRows(model, a.positions);
    const pnl = portfolioScenarioPnl(model, matrix, cols, rows, quantities);
    let worst = 0;
    for (let j = 1; j < cols; j++) if ((pnl[j] as number) < (pnl[worst] as number)) worst = j;
    const drivers = a.positions
      .map((p) => ({ instrument: p.instrument, quantity: p.quantity, pnlUsd: p.quantity * (matrix[(model.rowOf.get(p.instrument) as number) * cols + worst] as number) }))
      .sort((x, y) => x.pnlUsd - y.pnlUsd)
      .slice(0, 3);
    const im = m.initialMarginUsd;
    const preIm = im / 1.4;
    const total = im - preIm;
    const surface = 0.5 * total;
    const scenarios = 0.3 * total;
    return {
      accountId: a.id,
      desk: a.desk,
      currency: 'USD',
      initialMargin: im,
      maintenanceMargin: m.maintenanceMarginUsd,
      collateralValue: a.collateralUsd,
      attribution: {
        format: 1,
        positions: a.positions.map((p) => ({ instrument: p.instrument, quantity: p.quantity })),
        preIncident: { initialMarginUsd: preIm, maintenanceMarginUsd: 0.75 * preIm },
        change: {
          totalUsd: total,
          effects: [
            { name: 'surface', amountUsd: surface },
            { name: 'scenarios', amountUsd: scenarios },
            { name: 'addOns', amountUsd: total - surface - scenarios },
            { name: 'unexplained', amountUsd: 0 },
          ],
          order: ['surface', 'scenarios', 'addOns'],
        },
        worstScenario: { id: scenarioIds[worst] as string, pnlUsd: pnl[worst] as number },
        drivers,
        marginCallUsd: Math.max(0, im - a.collateralUsd),
        components: {
          esMporUsd: m.fhsEs.esMporUsd,
          apcMarginUsd: m.fhsEs.apc.marginUsd,
          liquidityAddOnUsd: m.fhsEs.liquidityAddOnUsd,
          concentrationAddOnUsd: m.fhsEs.concentrationAddOnUsd,
          incidentAddOnUsd: m.incidentAddOnUsd,
        },
      },
    };
  });
}

/** What {@link seedRun} stores. */
export interface SeedRunInput {
  readonly id: string;
  readonly instruments?: readonly SeedInstrument[];
  readonly accounts?: readonly SeedAccount[];
  readonly scenarioCount?: number;
  readonly seed?: number;
  /** Multiplies every P&L (default 1). */
  readonly scale?: number;
  /** Multiplies every account's collateral (default 1: the haircuts differ between calibrations). */
  readonly collateralScale?: number;
  /** Include the fixture incident's residual-risk add-on (default false). */
  readonly incident?: boolean;
  /** Gates recorded in the run summary (default: two passed gates). */
  readonly gates?: readonly PromotionGate[];
  /** Replace the attribution of these accounts by this value (to test malformed data). */
  readonly attributionOverride?: Readonly<Record<string, unknown>>;
}

/** A stored run: its id and the margins stored for it, by account id. */
export interface SeededRun {
  readonly runId: string;
  readonly margins: ReadonlyMap<string, AccountMarginInput>;
  readonly scenarioIds: readonly string[];
  readonly matrix: Float64Array;
  readonly model: ScenarioMarginModel;
}

/** Creates, fills and finishes (candidate) one run (see the module comment). */
export async function seedRun(store: Store, input: SeedRunInput): Promise<SeededRun> {
  const instruments = input.instruments ?? TEST_INSTRUMENTS;
  const accounts = input.accounts ?? TEST_ACCOUNTS;
  const scale = input.scale ?? 1;
  const { matrix, scenarioIds } = syntheticMatrix(instruments, input.scenarioCount ?? 400, input.seed ?? 20260205, scale);
  const definition = marginDefinition(instruments, input.incident ?? false);
  const model = compileScenarioMargin(definition);
  const collateralScale = input.collateralScale ?? 1;
  const scaled = collateralScale === 1 ? accounts : accounts.map((a) => ({ ...a, collateralUsd: a.collateralUsd * collateralScale }));
  const margins = accountMargins(model, matrix, scenarioIds, scaled).map((m) =>
    input.attributionOverride !== undefined && m.accountId in input.attributionOverride ? { ...m, attribution: input.attributionOverride[m.accountId] } : m,
  );
  const runId = input.id;
  await createRun(store, {
    id: runId,
    incidentId: null,
    inputHashes: { 'incident': `sha256:${runId}` },
    modelVersions: { 'margin/fhs-es': '1.0.0' },
    codeVersion: '0.1.0+test',
    seed: input.seed ?? 20260205,
  });
  await putSurfaces(store, runId, [
    { underlying: 'BTC', model: 'svi', parameters: { scale, expiries: [{ expiry: '2026-03-27', params: { a: 0.04 * scale, b: 0.1, rho: -0.3, m: 0, sigma: 0.2 } }] } },
    { underlying: 'ETH', model: 'svi', parameters: { scale, expiries: [{ expiry: '2026-03-27', params: { a: 0.05 * scale, b: 0.12, rho: -0.25, m: 0, sigma: 0.25 } }] } },
  ]);
  const rho = Math.min(0.95, 0.8 * scale);
  await putCorrelation(store, runId, { assets: ['BTC', 'ETH', 'USDC'], matrix: Float64Array.from([1, rho, 0, rho, 1, 0, 0, 0, 1]), details: { estimator: 'ewma', scale } });
  await putScenarioSet(store, runId, {
    setId: 'fhs',
    kind: 'filtered-historical',
    scenarioCount: scenarioIds.length,
    definition: { ids: scenarioIds.slice(0, 3), horizonDays: 1, scale },
    arrays: { weights: { rows: scenarioIds.length, cols: 1, data: new Float64Array(scenarioIds.length).fill(1 / scenarioIds.length) } },
  });
  await putPnlMatrix(store, runId, { instrumentIds: instruments.map((i) => i.id), scenarioIds, currency: 'USD', data: matrix });
  await putRunMarginModel(store, runId, definition);
  await putAccountMargins(store, runId, margins);
  await putRunReport(store, runId, {
    json: JSON.stringify({ runId, accounts: margins.length, scale }),
    html: `<!doctype html><html><head><title>Run ${runId}</title></head><body><h1>Run ${runId}</h1></body></html>`,
  });
  await finishRun(store, runId, {
    status: 'candidate',
    summary: { gates: input.gates ?? [{ name: 'backtest-zone', passed: true }, { name: 'finite-margins', passed: true }] },
  });
  return { runId, margins: new Map(margins.map((m) => [m.accountId, m])), scenarioIds, matrix, model };
}
