/**
 * Validation of a {@link ResponseBook} (pure): every issue found, each naming the field
 * (`responses.BTC.returns[3]: not ascending`), and the book with its grids copied into Float64Arrays.
 */
import type { ModelIssue, Validated } from '../../scenarios/index.ts';
import type { BacktestBook, ResponseBook, UnderlyingResponse } from './types.ts';

/** Issues reported per array before the rest are summarised (a grid of NaN would otherwise give hundreds). */
const MAX_ISSUES_PER_ARRAY = 5;

/** True when `book` is a response book (it has `responses`), false for a linear book (it has `exposuresUsd`). */
export function isResponseBook(book: BacktestBook): book is ResponseBook {
  return book !== null && typeof book === 'object' && 'responses' in book;
}

function isNumberArray(v: unknown): v is ArrayLike<number> {
  return v instanceof Float64Array || Array.isArray(v);
}

/** True for a finite number (rejects strings, NaN and infinities). */
function finite(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

function checkGrid(path: string, r: Record<string, unknown>, issues: ModelIssue[]): UnderlyingResponse | null {
  const returns = r['returns'];
  const pnl = r['pnlUsd'];
  let ok = true;
  if (!isNumberArray(returns)) {
    issues.push({ path: `${path}.returns`, reason: 'expected an array of numbers (simple returns)' });
    ok = false;
  } else if (returns.length < 2) {
    issues.push({ path: `${path}.returns`, reason: `expected at least 2 points, got ${returns.length}` });
    ok = false;
  }
  if (!isNumberArray(pnl)) {
    issues.push({ path: `${path}.pnlUsd`, reason: 'expected an array of numbers (USD P&L)' });
    ok = false;
  }
  if (!ok || !isNumberArray(returns) || !isNumberArray(pnl)) return null;
  if (pnl.length !== returns.length) {
    issues.push({ path: `${path}.pnlUsd`, reason: `length ${pnl.length} differs from returns.length ${returns.length}` });
    ok = false;
  }
  let bad = 0;
  const add = (p: string, reason: string): void => {
    if (++bad <= MAX_ISSUES_PER_ARRAY) issues.push({ path: p, reason });
  };
  for (let i = 0; i < returns.length; i++) {
    const x = returns[i] as number;
    if (!finite(x)) add(`${path}.returns[${i}]`, `not a finite number (${String(x)})`);
    else if (x < -1) add(`${path}.returns[${i}]`, `below -1 (${x}): a simple return cannot lose more than the price`);
    else if (i > 0 && finite(returns[i - 1]) && !(x > (returns[i - 1] as number))) add(`${path}.returns[${i}]`, `not ascending (${x} after ${returns[i - 1]})`);
  }
  if (bad > MAX_ISSUES_PER_ARRAY) issues.push({ path: `${path}.returns`, reason: `${bad - MAX_ISSUES_PER_ARRAY} more issues` });
  const returnsBad = bad;
  bad = 0;
  for (let i = 0; i < pnl.length; i++) {
    const y = pnl[i] as number;
    if (!finite(y)) add(`${path}.pnlUsd[${i}]`, `not a finite number (${String(y)})`);
  }
  if (bad > MAX_ISSUES_PER_ARRAY) issues.push({ path: `${path}.pnlUsd`, reason: `${bad - MAX_ISSUES_PER_ARRAY} more issues` });
  if (!ok || returnsBad > 0 || bad > 0) return null;
  return Object.freeze({ returns: Float64Array.from(returns), pnlUsd: Float64Array.from(pnl) });
}

/**
 * Checks a response book: `name` a non-empty string; `responses` an object of underlyings; per underlying,
 * `returns` finite, >= -1, strictly ascending, at least 2 points, and `pnlUsd` finite of the same length; with
 * `assets`, every underlying must be one of them (a column of the returns panel). Returns every issue (at most
 * five per array, then a count), or the book with each grid copied into fresh Float64Arrays (frozen).
 */
export function validateResponseBook(book: unknown, assets?: readonly string[]): Validated<ResponseBook> {
  const issues: ModelIssue[] = [];
  if (book === null || typeof book !== 'object' || Array.isArray(book)) {
    return { ok: false, errors: [{ path: '', reason: 'expected a response book { name, responses }' }] };
  }
  const b = book as Record<string, unknown>;
  const name = b['name'];
  if (typeof name !== 'string' || name === '') issues.push({ path: 'name', reason: 'expected a non-empty string' });
  const responses = b['responses'];
  const out: Record<string, UnderlyingResponse> = {};
  if (responses === null || typeof responses !== 'object' || Array.isArray(responses)) {
    issues.push({ path: 'responses', reason: 'expected { underlying: { returns, pnlUsd } }' });
  } else {
    for (const [u, r] of Object.entries(responses as Record<string, unknown>)) {
      const path = `responses.${u}`;
      if (assets !== undefined && !assets.includes(u)) issues.push({ path, reason: 'underlying not in the returns panel' });
      if (r === null || typeof r !== 'object' || Array.isArray(r)) {
        issues.push({ path, reason: 'expected { returns, pnlUsd }' });
        continue;
      }
      const grid = checkGrid(path, r as Record<string, unknown>, issues);
      if (grid !== null) out[u] = grid;
    }
  }
  if (issues.length > 0) return { ok: false, errors: Object.freeze(issues.map((i) => Object.freeze(i))) };
  return { ok: true, value: Object.freeze({ name: name as string, responses: Object.freeze(out) }) };
}
