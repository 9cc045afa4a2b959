/**
 * The promotion gates of a run as the recalibration job recorded them: `run.summary.gates`, an array of
 * `{ name, passed, detail? }` (no red backtest zone, no arbitrage in surfaces, every margin finite, ...). A run
 * whose summary has no gate results, or malformed ones, fails a `gates-recorded` gate: promoting it then needs
 * `--reason`, like any other failing gate. The store adds the `complete` gate for partial runs itself.
 */
import type { PromotionGate, RunRecord } from '../store/index.ts';

/** The gate that fails when a run recorded no usable gate results. */
export const GATES_RECORDED = 'gates-recorded';

function gateAt(value: unknown, index: number): PromotionGate {
  const g = value as { name?: unknown; passed?: unknown; detail?: unknown } | null;
  if (g === null || typeof g !== 'object' || typeof g.name !== 'string' || g.name === '' || typeof g.passed !== 'boolean') {
    return { name: GATES_RECORDED, passed: false, detail: `summary.gates[${index}] is not { name: string, passed: boolean }` };
  }
  return typeof g.detail === 'string' ? { name: g.name, passed: g.passed, detail: g.detail } : { name: g.name, passed: g.passed };
}

/** The gates to promote `run` with: its recorded `summary.gates`, or one failing `gates-recorded` gate. */
export function promotionGatesOf(run: RunRecord): PromotionGate[] {
  const summary = run.summary as { gates?: unknown } | null;
  const gates = summary !== null && typeof summary === 'object' ? summary.gates : undefined;
  if (!Array.isArray(gates)) {
    return [{ name: GATES_RECORDED, passed: false, detail: 'the run recorded no promotion gates (summary.gates)' }];
  }
  if (gates.length === 0) return [{ name: GATES_RECORDED, passed: false, detail: 'summary.gates is empty' }];
  return gates.map(gateAt);
}

/** The gates `promoteRun` will count as failing for `run`: the failing recorded gates, plus `complete` if partial. */
export function failingGatesOf(run: RunRecord, gates: readonly PromotionGate[]): PromotionGate[] {
  const failing = gates.filter((g) => !g.passed);
  if (run.status === 'partial') failing.push({ name: 'complete', passed: false, detail: `${run.objectFailures.length} per-object failure(s)` });
  return failing;
}
