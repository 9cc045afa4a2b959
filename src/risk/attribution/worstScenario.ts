/**
 * The worst scenario of an account and the positions that drive it: from the account's scenario P&L vector and the
 * instrument x scenario P&L matrix (P&L per unit quantity, row-major instruments x scenarios), each position's
 * contribution at the worst scenario is quantity x P&L per unit; contributions sum to the account's P&L there.
 * P&L is positive for a gain (DESIGN.md §3), so the worst scenario is the one with the lowest P&L.
 */

/** One position's share of the loss in the worst scenario. */
export interface PositionContribution {
  /** Index of the position in the account's position list. */
  readonly position: number;
  /** Row of the instrument in the P&L matrix. */
  readonly instrument: number;
  /** quantity x P&L per unit in the worst scenario (negative = loss). */
  readonly pnl: number;
}

/** The worst scenario and its drivers, largest losses first. */
export interface WorstScenario {
  /** Column of the worst scenario; -1 when there are no scenarios. */
  readonly scenario: number;
  /** The account's P&L there (sum of all contributions). */
  readonly pnl: number;
  readonly drivers: readonly PositionContribution[];
}

/**
 * The worst scenario of `accountPnl` (length nScenarios) and the top `maxDrivers` position contributions there.
 * `instruments[i]` and `quantities[i]` describe position i; `pnlMatrix` is instruments x nScenarios. Ties go to the
 * first scenario. NaN scenarios are skipped (a failed cell is reported by revaluation, not hidden here).
 */
export function worstScenarioDrivers(
  accountPnl: Float64Array, instruments: ArrayLike<number>, quantities: ArrayLike<number>, pnlMatrix: Float64Array,
  nScenarios: number, maxDrivers = 5,
): WorstScenario {
  let worst = -1;
  let worstPnl = Infinity;
  for (let j = 0; j < nScenarios; j++) {
    const v = accountPnl[j]!;
    if (v < worstPnl) {
      worstPnl = v;
      worst = j;
    }
  }
  if (worst < 0) return Object.freeze({ scenario: -1, pnl: NaN, drivers: Object.freeze([]) });
  const contributions: PositionContribution[] = [];
  for (let p = 0; p < instruments.length; p++) {
    const instrument = instruments[p]!;
    contributions.push({ position: p, instrument, pnl: quantities[p]! * pnlMatrix[instrument * nScenarios + worst]! });
  }
  contributions.sort((a, b) => a.pnl - b.pnl || a.position - b.position);
  return Object.freeze({
    scenario: worst,
    pnl: worstPnl,
    drivers: Object.freeze(contributions.slice(0, maxDrivers).map((c) => Object.freeze(c))),
  });
}
