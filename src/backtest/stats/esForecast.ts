/**
 * The forecast distribution under which Acerbi-Szekely critical values are simulated (the null hypothesis:
 * each day's P&L really has the forecast distribution, whose VaR and ES at alpha are the forecasts).
 *
 * - `normal` and `t` (Student, dof > 1): the day-t P&L is X_t = mu_t + sigma_t Y with Y standard normal or
 *   standard t, where mu_t and sigma_t are fitted so that the distribution's VaR and ES at alpha are exactly
 *   the forecasts: with z = VaR of Y and e = ES of Y at alpha (as positive losses),
 *     VaR_t = sigma_t z - mu_t,  ES_t = sigma_t e - mu_t  =>  sigma_t = (ES_t - VaR_t)/(e - z),  mu_t = sigma_t z - VaR_t.
 *   This needs ES_t > VaR_t. When ES_t / VaR_t equals e / z (e.g. a zero-mean normal forecast) mu_t = 0, and
 *   since Z2 is scale invariant the critical values then depend only on T, alpha and the family, as in
 *   MathWorks' esbacktest (unconditionalNormal / unconditionalT).
 * - `sampler`: a caller-supplied draw of day t's P&L from its forecast distribution (e.g. the FHS scenario
 *   P&L of that date), `sample(t, rng)`; it must use only `rng` for randomness and be consistent with the
 *   VaR/ES forecasts of that day, otherwise the simulated Z2 is not centred at 0.
 */
import { normInv, normPdf } from '../../math/index.ts';
import type { Rng } from '../../math/index.ts';
import { sampleStudentT, studentTTail } from './distributions/index.ts';
import { BacktestInputError } from './errors.ts';

/** The forecast distribution family for simulating Z2 under the null (see the module note). */
export type EsForecastDistribution =
  | { readonly family: 'normal' }
  | { readonly family: 't'; readonly dof: number }
  | { readonly family: 'sampler'; readonly sample: (day: number, rng: Rng) => number };

/** Draws one path of daily P&L, writing `out[t]` for every day t. */
export type PnlPathSampler = (rng: Rng, out: Float64Array) => void;

/** VaR and ES of the standard normal at tail probability alpha, as positive losses. */
export function normalTail(alpha: number): { readonly valueAtRisk: number; readonly expectedShortfall: number } {
  const z = -normInv(alpha);
  return Object.freeze({ valueAtRisk: z, expectedShortfall: normPdf(z) / alpha });
}

function locationScaleSampler(
  valueAtRisk: Float64Array,
  expectedShortfall: Float64Array,
  tail: { readonly valueAtRisk: number; readonly expectedShortfall: number },
  draw: (rng: Rng) => number,
): PnlPathSampler {
  const n = valueAtRisk.length;
  const mu = new Float64Array(n);
  const sigma = new Float64Array(n);
  const spread = tail.expectedShortfall - tail.valueAtRisk;
  for (let t = 0; t < n; t++) {
    const v = valueAtRisk[t] as number;
    const e = expectedShortfall[t] as number;
    if (!(e > v)) throw new BacktestInputError(`expectedShortfall[${t}]`, e, `must exceed valueAtRisk[${t}] = ${v} to fit the forecast distribution`);
    const s = (e - v) / spread;
    sigma[t] = s;
    mu[t] = s * tail.valueAtRisk - v;
  }
  return (rng, out) => {
    for (let t = 0; t < n; t++) out[t] = (mu[t] as number) + (sigma[t] as number) * draw(rng);
  };
}

/**
 * A path sampler for the forecast distribution, given validated VaR/ES series at tail probability alpha.
 * @throws BacktestInputError for an unknown family, dof <= 1, a missing sampler, or ES_t <= VaR_t
 *   (normal and t families).
 */
export function forecastPathSampler(
  forecast: EsForecastDistribution,
  valueAtRisk: Float64Array,
  expectedShortfall: Float64Array,
  alpha: number,
): PnlPathSampler {
  if (typeof forecast !== 'object' || forecast === null) throw new BacktestInputError('forecast', forecast, 'must be an object');
  switch (forecast.family) {
    case 'normal':
      return locationScaleSampler(valueAtRisk, expectedShortfall, normalTail(alpha), (rng) => rng.nextNormal());
    case 't': {
      const dof = forecast.dof;
      if (typeof dof !== 'number' || !(dof > 1) || !Number.isFinite(dof)) {
        throw new BacktestInputError('forecast.dof', dof, 'must be a finite number > 1 (ES needs a finite mean)');
      }
      return locationScaleSampler(valueAtRisk, expectedShortfall, studentTTail(alpha, dof), (rng) => sampleStudentT(rng, dof));
    }
    case 'sampler': {
      const sample = forecast.sample;
      if (typeof sample !== 'function') throw new BacktestInputError('forecast.sample', sample, 'must be a function (day, rng) => pnl');
      const n = valueAtRisk.length;
      return (rng, out) => {
        for (let t = 0; t < n; t++) out[t] = sample(t, rng);
      };
    }
    default:
      throw new BacktestInputError('forecast.family', (forecast as { family?: unknown }).family, "must be 'normal', 't' or 'sampler'");
  }
}
