/**
 * Writes fixtures/reference/correlation/garch_series.json: a Gaussian GARCH(1,1) path simulated with the
 * project's seeded generator (src/math createRng, xoshiro128**) through simulateGarch, so that
 * make_correlation_reference.py can fit the very same numbers with scipy, and the tests can check that
 * the committed series is still what the code generates.
 *
 *   npx tsx scripts/reference/make_garch_series.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { createRng } from '../../src/math/index.ts';
import { simulateGarch } from '../../src/correlation/index.ts';

export const GARCH_SERIES_SPEC = {
  seed: 'aftershock/correlation/garch-series/v1',
  params: { omega: 1e-5, alpha: 0.1, beta: 0.85, mu: 0 },
  length: 2000,
  burnIn: 500,
} as const;

const path = simulateGarch(GARCH_SERIES_SPEC.params, {
  length: GARCH_SERIES_SPEC.length,
  burnIn: GARCH_SERIES_SPEC.burnIn,
  rng: createRng(GARCH_SERIES_SPEC.seed),
});
const out = {
  _source: 'scripts/reference/make_garch_series.ts: simulateGarch(params, { length, burnIn, rng: createRng(seed) }); h_1 of the burn-in = omega/(1-alpha-beta); returns r_t = mu + sqrt(h_t) z_t with z_t = rng.nextNormal()',
  ...GARCH_SERIES_SPEC,
  returns: Array.from(path.returns),
};
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
writeFileSync(resolve(root, 'fixtures/reference/correlation/garch_series.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`wrote ${path.returns.length} returns`);
