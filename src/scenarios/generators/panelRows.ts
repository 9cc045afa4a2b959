/**
 * Row selection shared by the historical generators (pure): column lookup, the as-of row, the lookback rows,
 * the rows of named stress periods, and multi-day aggregation of log returns.
 */
import type { AlignedReturns, ReturnsPanel, StressPeriod } from '../../market/returns/index.ts';
import { ScenarioInputError } from '../errors.ts';
import type { NamedPeriod } from '../models/historical.ts';

/** A returns panel that may carry its own stress periods (as `AlignedReturns` does). */
export type PanelWithStress = ReturnsPanel & { readonly stressPeriods?: AlignedReturns['stressPeriods'] };

/** Column indices of `underlyings` in the panel (default: every column). */
export function columnsOf(panel: ReturnsPanel, underlyings: readonly string[] | undefined): { names: readonly string[]; idx: Int32Array } {
  const names = underlyings ?? panel.assets;
  if (names.length === 0) throw new ScenarioInputError('underlyings', names, 'expected at least one underlying');
  const idx = new Int32Array(names.length);
  names.forEach((u, k) => {
    const j = panel.assets.indexOf(u);
    if (j < 0) throw new ScenarioInputError(`underlyings[${k}]`, u, 'not a column of the returns panel');
    idx[k] = j;
  });
  return { names, idx };
}

/** Index of the last row dated on or before `asOf` (default: the last row); throws when there is none. */
export function asOfIndex(panel: ReturnsPanel, asOf: string | undefined): number {
  if (panel.dates.length === 0) throw new ScenarioInputError('panel.dates', 0, 'the returns panel has no rows');
  if (asOf === undefined) return panel.dates.length - 1;
  let end = -1;
  for (let t = 0; t < panel.dates.length; t++) if ((panel.dates[t] as string) <= asOf) end = t;
  if (end < 0) throw new ScenarioInputError('asOf', asOf, `no return row on or before this date (first row ${panel.dates[0]})`);
  return end;
}

/** The stress periods of a model plus those of an aligned panel (by name; the model's range wins on a clash). */
export function mergePeriods(model: readonly NamedPeriod[], fromPanel: readonly StressPeriod[] | undefined, extra: readonly NamedPeriod[] | undefined): NamedPeriod[] {
  const out = new Map<string, NamedPeriod>();
  for (const p of fromPanel ?? []) if (p.dates.length > 0) out.set(p.name, { name: p.name, from: p.from, to: p.to });
  for (const p of extra ?? []) out.set(p.name, p);
  for (const p of model) out.set(p.name, p);
  return [...out.values()];
}

/** For each row up to `end`, the names of the stress periods containing its date; plus each period's row count. */
export function stressRows(panel: ReturnsPanel, periods: readonly NamedPeriod[], end: number): { byRow: Map<number, string[]>; counts: Record<string, number> } {
  const byRow = new Map<number, string[]>();
  const counts: Record<string, number> = {};
  for (const p of periods) {
    counts[p.name] = 0;
    for (let t = 0; t <= end; t++) {
      const d = panel.dates[t] as string;
      if (d < p.from || d > p.to) continue;
      counts[p.name] = (counts[p.name] as number) + 1;
      const list = byRow.get(t);
      if (list === undefined) byRow.set(t, [p.name]);
      else list.push(p.name);
    }
  }
  return { byRow, counts };
}

/** Sum of the `h` log returns of column `j` ending at row `t` (NaN if a cell is NaN or t - h + 1 < 0). */
export function windowLogReturn(panel: ReturnsPanel, j: number, t: number, h: number): number {
  if (t - h + 1 < 0) return Number.NaN;
  const cols = panel.assets.length;
  let s = 0;
  for (let k = 0; k < h; k++) s += panel.returns[(t - k) * cols + j] as number;
  return s;
}

/** Smallest row weight over rows t - h + 1 .. t. */
export function windowWeight(panel: ReturnsPanel, t: number, h: number): number {
  let w = Infinity;
  for (let k = 0; k < h && t - k >= 0; k++) w = Math.min(w, panel.weights[t - k] as number);
  return w;
}

/** Distinct tags in insertion order. */
export function uniqueTags(...lists: ReadonlyArray<readonly string[]>): string[] {
  return [...new Set(lists.flat())];
}

/**
 * The h-day log moves (MPOR h, days) of row t for the panel columns `idx`, in `idx` order: `overlapping` -> the sum
 * of the h log returns ending at t (`windowLogReturn`, NaN without h rows), else sqrt(h) x the row's log return.
 * NaN where a return is missing.
 */
export function historicalLogMoves(panel: ReturnsPanel, idx: Int32Array, t: number, h: number, overlapping: boolean): Float64Array {
  const cols = panel.assets.length;
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const j = idx[k] as number;
    out[k] = overlapping ? windowLogReturn(panel, j, t, h) : Math.sqrt(h) * (panel.returns[t * cols + j] as number);
  }
  return out;
}
