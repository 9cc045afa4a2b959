/**
 * Gamma(shape, 1) variates from a seeded generator, by G. Marsaglia and W. W. Tsang, "A simple method for
 * generating gamma variables", ACM TOMS 26(3), 2000: for shape >= 1, d = shape - 1/3, c = 1/sqrt(9d), draw a
 * normal z until v = (1 + c z)^3 > 0 and ln u < z^2/2 + d - d v + d ln v for a uniform u, return d v (with
 * their squeeze u < 1 - 0.0331 z^4, which accepts most draws without the logarithms and never changes the
 * outcome); for shape < 1, Gamma(shape + 1) * u^(1/shape) (their boosting step).
 */
import type { Rng } from '../../../math/index.ts';

/** One Gamma(shape, scale 1) draw, shape > 0 (NaN otherwise). Advances `rng`. */
export function sampleGamma(rng: Rng, shape: number): number {
  if (!(shape > 0) || shape === Number.POSITIVE_INFINITY) return Number.NaN;
  if (shape < 1) return sampleGamma(rng, shape + 1) * Math.pow(rng.nextFloat64Open(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = rng.nextNormal();
    const t = 1 + c * z;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng.nextFloat64Open();
    const z2 = z * z;
    if (u < 1 - 0.0331 * z2 * z2) return d * v;
    if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}
