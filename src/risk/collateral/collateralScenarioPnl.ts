/**
 * Collateral revalued inside the scenarios of the positions (DESIGN.md §5: wrong-way risk is then automatic), pure:
 * the USD P&L of the holdings in scenario s is sum_a quantity_a x price_a x r_{s,a}, with r_{s,a} the scenario's
 * simple return of asset a when a is one of the set's underlyings, 0 otherwise (USD, stablecoins). Adding this vector
 * to the account's position P&L before a margin model makes a BTC-collateralised short put lose on both legs in the
 * same down scenario.
 */
import type { ScenarioSet } from '../../scenarios/index.ts';
import { MarginInputError } from '../measures/index.ts';
import { priceOf, type Holding } from './valueCollateral.ts';

/** Collateral P&L per scenario of `set`, USD (written to `out` when given, length >= scenarios). */
export function collateralScenarioPnl(
  holdings: readonly Holding[], pricesUsd: Readonly<Record<string, number>>, set: ScenarioSet, out?: Float64Array,
): Float64Array {
  const n = set.scenarios.length;
  const u = set.underlyings.length;
  const result = out ?? new Float64Array(n);
  if (result.length < n) throw new MarginInputError('out.length', result.length, `expected at least ${n}`);
  result.fill(0, 0, n);
  holdings.forEach((h, i) => {
    if (typeof h?.quantity !== 'number' || !Number.isFinite(h.quantity)) throw new MarginInputError(`holdings[${i}].quantity`, h?.quantity, 'expected a finite quantity');
    const col = set.underlyings.indexOf(h.asset);
    if (col < 0) return;
    const value = h.quantity * priceOf(pricesUsd, h.asset);
    for (let s = 0; s < n; s++) result[s] = (result[s] as number) + value * (set.spotReturnMatrix[s * u + col] as number);
  });
  return result;
}
