/**
 * The default simple-return grid a book is revalued on to build a {@link ResponseBook} (pure).
 *
 * Nodes are uniform in z = asinh(r / scale): about `scale` apart times the z step near 0 (dense where daily and MPOR
 * moves live, where an option's kink needs resolution) and geometric further out (log-like spacing in the tails).
 * The points are split between the two sides in proportion to their z-lengths, 0 is a node, and the ends are
 * exactly `min` and `max`. Defaults: 121 points from -0.95 to +3.0 with scale 0.05, i.e. a step of 0.35 % at 0,
 * about 6.4 % at -0.95 and 20 % at +3.0 (52 intervals below 0, 68 above).
 */
import { BacktestInputError } from '../stats/index.ts';

/** Options of {@link responseGrid}. */
export interface ResponseGridOptions {
  /** Number of nodes, >= 3 (default 121). */
  readonly points?: number;
  /** Smallest simple return, in [-1, 0) (default -0.95). */
  readonly min?: number;
  /** Largest simple return, > 0 (default 3.0). */
  readonly max?: number;
  /** Return scale below which the grid is nearly uniform (default 0.05 = 5 %). */
  readonly scale?: number;
}

/**
 * The grid of simple returns (strictly ascending, `points` long, 0 included, first `min`, last `max`); see the module
 * comment.
 * @throws BacktestInputError naming the option for a bad count, bound or scale.
 */
export function responseGrid(options: ResponseGridOptions = {}): Float64Array {
  const points = options.points ?? 121;
  const min = options.min ?? -0.95;
  const max = options.max ?? 3.0;
  const scale = options.scale ?? 0.05;
  if (!Number.isSafeInteger(points) || points < 3) throw new BacktestInputError('points', points, 'must be an integer >= 3 (one node each side of 0, and 0)');
  if (typeof min !== 'number' || !(min >= -1 && min < 0)) throw new BacktestInputError('min', min, 'must be a simple return in [-1, 0)');
  if (typeof max !== 'number' || !(max > 0 && Number.isFinite(max))) throw new BacktestInputError('max', max, 'must be a finite simple return > 0');
  if (typeof scale !== 'number' || !(scale > 0 && Number.isFinite(scale))) throw new BacktestInputError('scale', scale, 'must be a finite number > 0');
  const zMin = Math.asinh(min / scale);
  const zMax = Math.asinh(max / scale);
  const intervals = points - 1;
  const below = Math.min(intervals - 1, Math.max(1, Math.round((intervals * -zMin) / (zMax - zMin))));
  const above = intervals - below;
  const out = new Float64Array(points);
  for (let i = 0; i < below; i++) out[i] = scale * Math.sinh((zMin * (below - i)) / below);
  out[0] = min;
  out[below] = 0;
  for (let i = 1; i < above; i++) out[below + i] = scale * Math.sinh((zMax * i) / above);
  out[points - 1] = max;
  return out;
}
