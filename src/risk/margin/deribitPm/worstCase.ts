/**
 * Worst case of aggregated vectors and the correlation contingency.
 *
 * worst_case = max(0, -min(aggregated standard and extended entries)) (a loss, settlement currency; 0 when no
 * scenario loses). The venue's `worst_case_bucket` {source, index, bucket, side}: `index` is the 0-based position in
 * the standard (or extended) vector, `bucket` 1..2B+1 (extended: 1..8 in move order), `side` left (price down) or
 * right (price up); ties are broken towards the unchanged-vol scenario of the bucket, then the lowest index, then
 * standard over extended, which reproduces the venue's two published examples (index 1 for a long BTC perpetual,
 * 25 for a short ETH perpetual). `side` 'center' for the 0-move bucket is this project's label ❓.
 *
 * Correlation contingency ❓ (the venue publishes the field, always 0 in its examples, not its formula; this is the
 * project's rule): with one key (one underlying) it is 0. With several keys margined in one currency, when that
 * currency's `correlation_set` is false the worst case is the sum of each key's worst case (no offset between
 * underlyings) and the contingency is 0; when true the worst case is that of the scenario-by-scenario sum of the
 * keys' vectors (all underlyings move by the same bucket) and the contingency gives back
 * correlation_contingency_factor x (sum of the keys' worst cases - joint worst case) >= 0 of that offset.
 */
import type { LegVectors } from './vectors.ts';

/** Where the worst case of a vector set is. */
export interface WorstCaseBucket {
  readonly source: 'standard' | 'extended';
  readonly index: number;
  readonly bucket: number;
  readonly side: 'left' | 'right' | 'center';
  /** The scenario's price move (simple return). */
  readonly move: number;
}

/** Worst case (>= 0) of `v` and where it is (null when no scenario loses). */
export function worstCaseOf(
  v: LegVectors, standardMoves: ArrayLike<number>, extendedMoves: ArrayLike<number>,
): { readonly worstCase: number; readonly bucket: WorstCaseBucket | null } {
  let min = 0;
  let at: WorstCaseBucket | null = null;
  const n = v.standard.length;
  for (let j = 0; j < n; j++) {
    const x = v.standard[j] as number;
    const sameVol = j % 3 === 1;
    const better = x < min || (x === min && at !== null && at.source === 'standard' && sameVol && at.index % 3 !== 1 && Math.floor(at.index / 3) === Math.floor(j / 3));
    if (better) {
      min = x;
      const m = standardMoves[j] as number;
      at = { source: 'standard', index: j, bucket: Math.floor(j / 3) + 1, side: m < 0 ? 'left' : m > 0 ? 'right' : 'center', move: m };
    }
  }
  for (let i = 0; i < v.extended.length; i++) {
    const x = v.extended[i] as number;
    if (x < min) {
      min = x;
      const m = extendedMoves[i] as number;
      at = { source: 'extended', index: i, bucket: i + 1, side: m < 0 ? 'left' : 'right', move: m };
    }
  }
  return { worstCase: min < 0 ? -min : 0, bucket: at === null ? null : Object.freeze(at) };
}
