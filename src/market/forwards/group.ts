/** Grouping of quotes by (underlying, expiry) (pure). */

/** Groups items by `underlying` and `expiryTimestampMs`, in order of first appearance. */
export function groupByExpiry<T extends { readonly underlying: string; readonly expiryTimestampMs: number }>(
  items: readonly T[],
): T[][] {
  const groups = new Map<string, T[]>();
  for (const q of items) {
    const key = `${q.underlying}|${q.expiryTimestampMs}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = [];
      groups.set(key, g);
    }
    g.push(q);
  }
  return [...groups.values()];
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
