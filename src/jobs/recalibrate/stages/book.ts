/**
 * Book stage (pure): the accounts as they stand at the recalibration time, resolved once per side, and the
 * instrument x scenario revaluations the margins need.
 *
 * - Positions in instruments that expired by the after snapshot are settled (left out, counted, reported): the
 *   recalibrated book is the book that is still open. Both sides revalue that same book, so every change is a change
 *   of calibration, not of positions.
 * - Each side resolves the book at its own valuation time (time to expiry differs); the instrument rows are the same.
 * - USD delta per unit of every row (for the liquidity and concentration add-ons) by a central +-1 % bump of the
 *   row's own underlying, everything else fixed: delta x S = (P(+1 %) - P(-1 %)) / 0.02.
 */
import { tryParseInstrumentName } from '../../../market/index.ts';
import {
  resolvePortfolio, revalueInstruments, type Account, type BaseMarket, type InstrumentPnl, type PortfolioBook,
} from '../../../risk/index.ts';
import { buildScenarioSet, NO_VOL_SHIFT, type ScenarioSet } from '../../../scenarios/index.ts';
import type { StageFailures } from '../failures.ts';

/** The open book at the recalibration time. */
export interface OpenBook {
  readonly accounts: readonly Account[];
  /** Positions settled because their instrument expired by the after snapshot. */
  readonly settledPositions: number;
  readonly settledInstruments: readonly string[];
  readonly bookBefore: PortfolioBook;
  readonly bookAfter: PortfolioBook;
}

/** Removes expired positions and resolves the book on both sides; unresolvable accounts are per-account failures. */
export function openBook(
  accounts: readonly Account[], beforeMs: number, afterMs: number, file: string, failures: StageFailures,
): OpenBook {
  let settled = 0;
  const settledNames = new Set<string>();
  const open = accounts.map((a) => {
    const positions = a.positions.filter((p) => {
      const parsed = tryParseInstrumentName(p.instrument);
      const expired = 'expiryTimestampMs' in parsed && Number.isFinite(parsed.expiryTimestampMs) && parsed.expiryTimestampMs <= afterMs;
      if (expired) {
        settled++;
        settledNames.add(p.instrument);
      }
      return !expired;
    });
    return positions.length === a.positions.length ? a : Object.freeze({ ...a, positions: Object.freeze(positions) });
  });
  const after = resolvePortfolio(open, { asOfMs: afterMs, file });
  for (const f of after.failures) failures.add('load', f.accountId ?? `account #${f.accountIndex}`, `${f.field}: ${f.detail ?? f.reason}`);
  const bad = new Set(after.failures.map((f) => f.accountIndex));
  const kept = open.filter((_, i) => !bad.has(i));
  // with failures, the first resolution's table still lists the good instruments of the accounts left out: resolve the
  // kept accounts again so both sides have the same rows
  const bookAfter = after.failures.length === 0 ? after.book : resolvePortfolio(kept, { asOfMs: afterMs, file }).book;
  const before = resolvePortfolio(kept, { asOfMs: beforeMs, file });
  if (before.failures.length > 0 || before.book.table.names.join('\n') !== bookAfter.table.names.join('\n')) {
    // a position open after the incident cannot have expired before it; anything else is a bug, not bad input
    throw new Error('the book resolves differently before and after the incident');
  }
  return Object.freeze({
    accounts: Object.freeze(kept), settledPositions: settled, settledInstruments: Object.freeze([...settledNames].sort()),
    bookBefore: before.book, bookAfter,
  });
}

/** USD delta per unit of every row (see the module comment); NaN where the row could not be priced. */
export function rowDeltasUsd(book: PortfolioBook, market: BaseMarket, underlyings: readonly string[]): Float64Array {
  const t = book.table;
  const drafts = [];
  for (let u = 0; u < underlyings.length; u++) {
    for (const sign of [1, -1]) {
      const r = new Float64Array(underlyings.length);
      r[u] = 0.01 * sign;
      drafts.push({ id: `${underlyings[u]}:${sign > 0 ? 'up' : 'down'}`, label: 'delta bump', spotReturns: r, volShifts: underlyings.map(() => NO_VOL_SHIFT) });
    }
  }
  const set = buildScenarioSet({ id: 'delta-bump', kind: 'hypothetical', modelVersion: 'scenarios/delta-bump@1.0.0', underlyings, weightMeaning: 'probability', scenarios: drafts });
  const pnl = revalueInstruments(t, market, set, { missingAsset: 'hold-flat' });
  const S = set.scenarios.length;
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const asset = t.assets[t.underlyingIndex[i] as number];
    const u = asset === undefined ? -1 : underlyings.indexOf(asset);
    out[i] = u < 0 ? 0 : ((pnl.pnlUsd[i * S + 2 * u] as number) - (pnl.pnlUsd[i * S + 2 * u + 1] as number)) / 0.02;
  }
  return out;
}

/** Revalues the book's instruments under a scenario set; failed rows are reported once per side and set. */
export function revalueBook(book: PortfolioBook, market: BaseMarket, scenarios: ScenarioSet, label: string, failures: StageFailures): InstrumentPnl {
  const pnl = revalueInstruments(book.table, market, scenarios);
  for (const f of pnl.failures) failures.add('revaluation', `${f.instrument} (${label})`, `${f.status} in ${f.cells} scenario(s): ${f.detail}`);
  return pnl;
}
