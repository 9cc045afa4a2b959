/**
 * SPAN-style 16 scenarios (reference/methods.md §5.3; CME SPAN standard risk array), deterministic. In the
 * standard order, with PSR the price scan range and VSR the vol scan range of each underlying:
 *
 * | #     | price move (x PSR) | vol move (x VSR) | weight (fraction of loss counted) |
 * |-------|--------------------|------------------|-----------------------------------|
 * | 1, 2  | 0                  | +1, -1           | 1                                 |
 * | 3, 4  | +1/3               | +1, -1           | 1                                 |
 * | 5, 6  | -1/3               | +1, -1           | 1                                 |
 * | 7, 8  | +2/3               | +1, -1           | 1                                 |
 * | 9, 10 | -2/3               | +1, -1           | 1                                 |
 * | 11,12 | +1                 | +1, -1           | 1                                 |
 * | 13,14 | -1                 | +1, -1           | 1                                 |
 * | 15    | +extreme_multiple  | 0                | extreme_cover_fraction (0.35)     |
 * | 16    | -extreme_multiple  | 0                | extreme_cover_fraction            |
 *
 * Price moves are simple returns (fractions of the price); vol moves are parallel shifts in absolute vol.
 * `timeStepDays` = the model's look-ahead (1 day). Several underlyings move together, each by its own ranges.
 */
import { ScenarioInputError, expectValid } from '../errors.ts';
import type { SpanModel, SpanRanges } from '../models/span.ts';
import { validateSpanModel } from '../models/span.ts';
import { buildScenarioSet } from '../buildScenarioSet.ts';
import type { ScenarioDraft, ScenarioSet, VolShiftRule } from '../types.ts';
import { NO_VOL_SHIFT } from '../volShift.ts';

/** Options of {@link spanScenarios}. */
export interface SpanOptions {
  readonly underlyings: readonly string[];
  /** Set id; default `span:<underlyings joined by +>`. */
  readonly id?: string;
}

/** One row of the SPAN table: price move in units of PSR (x extreme_multiple when extreme), vol sign. */
export type SpanRow = { readonly price: number; readonly vol: -1 | 0 | 1; readonly extreme: boolean };
const SCAN_ROWS: ReadonlyArray<readonly [number, -1 | 1]> = [
  [0, 1], [0, -1], [1 / 3, 1], [1 / 3, -1], [-1 / 3, 1], [-1 / 3, -1], [2 / 3, 1], [2 / 3, -1], [-2 / 3, 1], [-2 / 3, -1],
  [1, 1], [1, -1], [-1, 1], [-1, -1],
];
/** The (price fraction of PSR, vol sign, is extreme) of SPAN scenarios 1..16 in order. */
export const SPAN_SCENARIO_TABLE: ReadonlyArray<SpanRow> = Object.freeze([
  ...SCAN_ROWS.map(([price, vol]): SpanRow => Object.freeze({ price, vol, extreme: false })),
  Object.freeze({ price: 1, vol: 0 as const, extreme: true }),
  Object.freeze({ price: -1, vol: 0 as const, extreme: true }),
]);

const FRACTION_TEXT = new Map<number, string>([[0, '0'], [1 / 3, '+1/3'], [-1 / 3, '-1/3'], [2 / 3, '+2/3'], [-2 / 3, '-2/3'], [1, '+3/3'], [-1, '-3/3']]);

/** The 16 SPAN scenarios for `options.underlyings`; see the module comment. */
export function spanScenarios(model: SpanModel, options: SpanOptions): ScenarioSet {
  const m = expectValid(validateSpanModel(model), 'scenarios/span');
  const { underlyings } = options;
  if (!Array.isArray(underlyings) || underlyings.length === 0) throw new ScenarioInputError('underlyings', underlyings, 'expected at least one underlying');
  const ranges: SpanRanges[] = underlyings.map((u) => m.underlyings[u] ?? m.default);
  const up: VolShiftRule[] = ranges.map((r) => Object.freeze({ kind: 'parallel', shift: r.volatility_scan_range }));
  const down: VolShiftRule[] = ranges.map((r) => Object.freeze({ kind: 'parallel', shift: -r.volatility_scan_range }));
  const drafts: ScenarioDraft[] = SPAN_SCENARIO_TABLE.map((row, i) => {
    const multiple = row.extreme ? row.price * m.extreme_multiple : row.price;
    const priceText = row.extreme ? `${row.price > 0 ? '+' : '-'}${m.extreme_multiple} x PSR (extreme)` : `${FRACTION_TEXT.get(row.price) ?? row.price} PSR`;
    return {
      id: `span:${i + 1}`,
      label: `SPAN ${i + 1}: price ${priceText}, vol ${row.vol > 0 ? 'up' : row.vol < 0 ? 'down' : 'unchanged'}`,
      spotReturns: ranges.map((r) => multiple * r.price_scan_range),
      volShifts: row.vol > 0 ? up : row.vol < 0 ? down : underlyings.map(() => NO_VOL_SHIFT),
      timeStepDays: m.look_ahead_days,
      weight: row.extreme ? m.extreme_cover_fraction : 1,
      tags: row.extreme ? ['extreme'] : ['scan'],
    };
  });
  return buildScenarioSet({
    id: options.id ?? `span:${underlyings.join('+')}`,
    kind: 'span',
    modelVersion: `scenarios/span@${m.version}`,
    underlyings,
    weightMeaning: 'pnl-fraction',
    scenarios: drafts,
    details: { ranges: Object.fromEntries(underlyings.map((u, j) => [u, { ...ranges[j] }])) },
  });
}
