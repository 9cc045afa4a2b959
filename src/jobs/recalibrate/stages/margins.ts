/**
 * Margin, collateral and attribution stage (pure, USD).
 *
 * Three instrument x scenario matrices of the same open book: `pre` (pre-incident market and surfaces, pre-incident
 * FHS scenarios), `mid` (post-incident market, pre-incident scenarios) and `post` (post-incident market, post-incident
 * scenarios), and the run's margin model (risk/margin/scenarioMargin: FHS-ES at the MPOR with APC, liquidity and
 * concentration add-ons, plus the incident residual add-on; MM = maintenance factor x IM).
 *
 * Per account: IM/MM before (pre matrix, no incident add-on) and after (post matrix, add-on), collateral after the
 * post-incident haircuts, excess or deficit and the margin call, the worst post scenario with the positions that
 * drive it, and the change split by the waterfall of risk/attribution into `surface` (market and surfaces),
 * `scenarios` (scenario set and its correlation) and `addOns` (the incident add-on), summing exactly to the cent.
 * An account whose margin is not finite or that holds an instrument with failed cells is a per-account failure.
 */
import {
  attributeMarginChange, compileScenarioMargin, marginCall, positionRows, portfolioScenarioPnl, scenarioMarginOfPnl,
  scenarioMarginOfRows, STABLECOINS, valueCollateral, type Account, type AttributionStep, type HaircutSchedule, type InstrumentPnl, type PortfolioBook,
  type ScenarioMarginDefinition, type ScenarioMarginModel, type ScenarioMarginResult,
} from '../../../risk/index.ts';
import type { Incident } from '../../../scenarios/index.ts';
import type { StageFailures } from '../failures.ts';

/** A calibration's matrix: P&L per unit, rows = book table rows, USD. */
export interface CalibrationMatrix {
  readonly data: Float64Array;
  readonly cols: number;
  readonly scenarioIds: readonly string[];
  readonly rowFailed: Uint8Array;
}

/** Everything one account gets. */
export interface AccountResult {
  readonly accountId: string;
  readonly desk: string;
  readonly positions: readonly { readonly instrument: string; readonly quantity: number }[];
  readonly before: { readonly initialMarginUsd: number; readonly maintenanceMarginUsd: number };
  readonly after: ScenarioMarginResult;
  readonly collateral: ReturnType<typeof valueCollateral>;
  readonly call: ReturnType<typeof marginCall>;
  readonly change: { readonly totalUsd: number; readonly effects: readonly { readonly name: string; readonly amountUsd: number }[]; readonly order: readonly string[] };
  readonly worstScenario: { readonly id: string; readonly pnlUsd: number } | null;
  readonly drivers: readonly { readonly instrument: string; readonly quantity: number; readonly pnlUsd: number }[];
  /** The account's P&L under every post scenario (for the report's distribution), USD. */
  readonly postPnl: Float64Array;
}

/** Inputs of {@link computeMargins}. */
export interface MarginsInput {
  readonly accounts: readonly Account[];
  readonly book: PortfolioBook;
  readonly matrices: { readonly pre: CalibrationMatrix; readonly mid: CalibrationMatrix; readonly post: CalibrationMatrix };
  readonly deltasBefore: Float64Array;
  readonly deltasAfter: Float64Array;
  readonly fhsEsModel: unknown;
  readonly maintenanceFactor: number;
  readonly incident: { readonly json: unknown; readonly value: Incident; readonly policy: unknown; readonly asOfMs: number };
  readonly haircuts: HaircutSchedule;
  readonly pricesUsd: Readonly<Record<string, number>>;
  readonly volatilityDaily: Readonly<Record<string, number>>;
  readonly attributionOrder: readonly ('surface' | 'scenarios' | 'addOns')[];
  readonly maxDrivers: number;
}

/** The JSON margin model of one calibration (stored with the run for the post one). */
export function marginDefinition(
  book: PortfolioBook, deltas: Float64Array, fhsEsModel: unknown, maintenanceFactor: number,
  incident: MarginsInput['incident'] | null,
): ScenarioMarginDefinition {
  const t = book.table;
  return {
    format: 1,
    fhsEs: fhsEsModel,
    maintenanceFactor,
    incidentAddOn: incident === null ? null : { incident: incident.json, policy: incident.policy, asOfMs: incident.asOfMs },
    instruments: t.names.map((id, i) => {
      const asset = t.assets[t.underlyingIndex[i] as number] ?? null;
      return { id, underlying: asset === null || asset === 'USD' || STABLECOINS.has(asset) ? null : asset, deltaUsdPerUnit: Number.isFinite(deltas[i]) ? (deltas[i] as number) : 0 };
    }),
  };
}

interface State { readonly market: 'pre' | 'post'; readonly scenarios: 'pre' | 'post'; readonly addOn: boolean }

/** Computes every account's result (see the module comment); failures are recorded per account. */
export function computeMargins(input: MarginsInput, failures: StageFailures, onAccount?: (done: number) => void): {
  readonly results: readonly AccountResult[];
  readonly postDefinition: ScenarioMarginDefinition;
} {
  const { book, matrices } = input;
  const defs = {
    preNoAddOn: marginDefinition(book, input.deltasBefore, input.fhsEsModel, input.maintenanceFactor, null),
    postNoAddOn: marginDefinition(book, input.deltasAfter, input.fhsEsModel, input.maintenanceFactor, null),
    post: marginDefinition(book, input.deltasAfter, input.fhsEsModel, input.maintenanceFactor, input.incident),
  };
  const models = {
    preNoAddOn: compileScenarioMargin(defs.preNoAddOn),
    postNoAddOn: compileScenarioMargin(defs.postNoAddOn),
    post: compileScenarioMargin(defs.post),
    preWithAddOn: compileScenarioMargin({ ...defs.preNoAddOn, incidentAddOn: defs.post.incidentAddOn }),
  };
  // the (pre market, post scenarios) corner is only needed when 'scenarios' precedes 'surface' in the order
  const matrixOf = (s: State): CalibrationMatrix | null =>
    s.market === 'pre' ? (s.scenarios === 'pre' ? matrices.pre : null) : (s.scenarios === 'pre' ? matrices.mid : matrices.post);
  const modelOf = (s: State): ScenarioMarginModel =>
    s.market === 'pre' ? (s.addOn ? models.preWithAddOn : models.preNoAddOn) : (s.addOn ? models.post : models.postNoAddOn);
  const steps: AttributionStep<State>[] = input.attributionOrder.map((name) => ({
    name,
    swap: (c: State): State => name === 'surface' ? { ...c, market: 'post' } : name === 'scenarios' ? { ...c, scenarios: 'post' } : { ...c, addOn: true },
  }));
  const results: AccountResult[] = [];
  // one scratch for the three matrices (the pre- and post-incident sets need not have the same size)
  const scratch = new Float64Array(Math.max(matrices.pre.cols, matrices.mid.cols, matrices.post.cols));
  const post = { market: 'post', scenarios: 'post', addOn: true } as const;
  const pre = { market: 'pre', scenarios: 'pre', addOn: false } as const;
  const keyOf = (s: State): string => `${s.market}|${s.scenarios}|${s.addOn}`;
  input.accounts.forEach((account, a) => {
    onAccount?.(a);
    try {
      const bad = account.positions.filter((p) => {
        const row = book.table.rowOf.get(p.instrument);
        return row === undefined || matrices.pre.rowFailed[row] === 1 || matrices.mid.rowFailed[row] === 1 || matrices.post.rowFailed[row] === 1;
      });
      if (bad.length > 0) {
        failures.add('margin', account.id, `holds ${bad.length} instrument(s) without a price in every scenario: ${bad.map((p) => p.instrument).join(', ')}`);
        return;
      }
      const { rows, quantities } = positionRows(models.post, account.positions);
      // the post-incident P&L vector is kept (distribution, worst scenario) and gives the margin without another pass
      const postPnl = portfolioScenarioPnl(models.post, matrices.post.data, matrices.post.cols, rows, quantities);
      const after = scenarioMarginOfPnl(models.post, matrices.post.data, matrices.post.cols, rows, quantities, postPnl, scratch);
      // each calibration state is evaluated once: the attribution re-asks for pre and post
      const memo = new Map<string, ScenarioMarginResult>([[keyOf(post), after]]);
      const marginAt = (s: State): ScenarioMarginResult => {
        const cached = memo.get(keyOf(s));
        if (cached !== undefined) return cached;
        const m = matrixOf(s);
        if (m === null) throw new Error('the attribution order needs the (pre-incident market, post-incident scenarios) matrix, which is not computed');
        const r = scenarioMarginOfRows(modelOf(s), m.data, m.cols, rows, quantities, scratch);
        memo.set(keyOf(s), r);
        return r;
      };
      const beforeIm = marginAt(pre).initialMarginUsd;
      if (!Number.isFinite(after.initialMarginUsd) || !Number.isFinite(beforeIm)) {
        failures.add('margin', account.id, `margin is not finite (before ${beforeIm}, after ${after.initialMarginUsd})`);
        return;
      }
      const attribution = attributeMarginChange(pre, post, (s) => marginAt(s).initialMarginUsd, steps);
      let worst = -1;
      for (let j = 0; j < postPnl.length; j++) if (worst < 0 || (postPnl[j] as number) < (postPnl[worst] as number)) worst = j;
      const drivers = worst < 0 ? [] : Array.from(rows, (r, k) => ({
        instrument: book.table.names[r] as string, quantity: quantities[k] as number,
        pnlUsd: (quantities[k] as number) * (matrices.post.data[r * matrices.post.cols + worst] as number),
      })).sort((x, y) => x.pnlUsd - y.pnlUsd || x.instrument.localeCompare(y.instrument)).slice(0, input.maxDrivers);
      const collateral = valueCollateral({ holdings: account.collateral, pricesUsd: input.pricesUsd, volatilityDaily: input.volatilityDaily, schedule: input.haircuts });
      const call = marginCall({ collateralAfterHaircutsUsd: collateral.valueAfterHaircutUsd, initialMarginUsd: after.initialMarginUsd, maintenanceMarginUsd: after.maintenanceMarginUsd });
      results.push(Object.freeze({
        accountId: account.id, desk: account.desk,
        positions: Object.freeze(account.positions.map((p) => Object.freeze({ instrument: p.instrument, quantity: p.quantity }))),
        before: Object.freeze({ initialMarginUsd: beforeIm, maintenanceMarginUsd: input.maintenanceFactor * beforeIm }),
        after, collateral, call,
        change: Object.freeze({ totalUsd: attribution.change, effects: Object.freeze(attribution.effects.map((e) => Object.freeze({ name: e.name, amountUsd: e.amount }))), order: attribution.order }),
        worstScenario: worst < 0 ? null : Object.freeze({ id: matrices.post.scenarioIds[worst] as string, pnlUsd: postPnl[worst] as number }),
        drivers: Object.freeze(drivers), postPnl,
      }));
    } catch (e) {
      failures.add('margin', account.id, e instanceof Error ? e.message : String(e));
    }
  });
  return { results: Object.freeze(results), postDefinition: defs.post };
}

/** A CalibrationMatrix view of a revaluation. */
export function calibrationMatrix(pnl: InstrumentPnl): CalibrationMatrix {
  return Object.freeze({ data: pnl.pnlUsd, cols: pnl.scenarioCount, scenarioIds: pnl.scenarioIds, rowFailed: pnl.rowFailed });
}
