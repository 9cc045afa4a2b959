/**
 * Number formatting for the HTML report, independent of the machine's locale (no Intl): thousands separated by
 * commas, a true minus sign, fixed decimals. Non-finite input and null print as an en dash.
 */

const DASH = '\u2013';
const MINUS = '\u2212';

/** `x` with `decimals` decimals and comma-grouped thousands, e.g. 1234567.8 -> '1,234,567.80'. */
export function fmtNumber(x: number | null, decimals = 0, signed = false): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  const fixed = Math.abs(x).toFixed(decimals);
  const [int = '0', frac] = fixed.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const body = frac === undefined ? grouped : `${grouped}.${frac}`;
  const isZero = Number(fixed) === 0;
  const sign = isZero ? '' : x < 0 ? MINUS : signed ? '+' : '';
  return `${sign}${body}`;
}

/** USD amount, whole dollars: '$1,234,567' (signed: '+$1,234' / '−$1,234'). */
export function fmtUsd(x: number | null, signed = false): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  const s = fmtNumber(x, 0, signed);
  return s.startsWith('+') || s.startsWith(MINUS) ? `${s[0]}$${s.slice(1)}` : `$${s}`;
}

/** USD amount in millions with 2 decimals: '$12.35m'. */
export function fmtUsdMillions(x: number | null, signed = false): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  const s = fmtNumber(x / 1e6, 2, signed);
  return s.startsWith('+') || s.startsWith(MINUS) ? `${s[0]}$${s.slice(1)}m` : `$${s}m`;
}

/** A ratio as a percentage: 0.1234 -> '12.3 %' (signed: '+12.3 %'). */
export function fmtPercent(x: number | null, decimals = 1, signed = false): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  return `${fmtNumber(x * 100, decimals, signed)}\u00a0%`;
}

/** A p-value or statistic with 4 significant decimals, small p-values in exponent form: '0.0312', '3.1e-7'. */
export function fmtStat(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return DASH;
  if (x !== 0 && Math.abs(x) < 1e-4) return x.toExponential(1).replace('-', MINUS);
  return x.toFixed(4);
}
