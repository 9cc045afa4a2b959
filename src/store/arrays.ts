/** Named Float64Array payloads (scenario-set arrays, backtest series): validation shared by their repositories. */
import { requireId, requireInteger } from './codec.ts';
import { StoreDataError } from './errors.ts';

/** A named numeric array with its shape (rows*cols values, row-major; a series is rows = length, cols = 1). */
export interface NamedArray {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Validates a map of named arrays; returns its entries sorted by name. */
export function checkedArrays(arrays: Readonly<Record<string, NamedArray>>, field: string): [string, NamedArray][] {
  const entries = Object.entries(arrays).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, a] of entries) {
    requireId(name, `${field} name`);
    requireInteger(a.rows, `${field}.${name}.rows`, 0);
    requireInteger(a.cols, `${field}.${name}.cols`, 0);
    if (!(a.data instanceof Float64Array)) throw new StoreDataError(`${field}.${name}.data`, a.data, 'must be a Float64Array');
    if (a.data.length !== a.rows * a.cols) {
      throw new StoreDataError(`${field}.${name}.data`, a.data, `must hold ${a.rows}x${a.cols} = ${a.rows * a.cols} values, has ${a.data.length}`);
    }
  }
  return entries;
}
