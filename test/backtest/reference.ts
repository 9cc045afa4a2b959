/** Typed access to the committed backtest reference values (fixtures/reference/backtest/, see SOURCE.md). */
import { readJsonFixture } from '../support/fixtures.ts';

export interface BinomialCase { n: number; coverage: number; p: number; x: number; pmf: number; cdf: number; sf: number; scipy_cdf: number; scipy_sf: number }
export interface GammaCase { a: number; x: number; Q: number; P: number }
export interface ChiSquareCase { dof: number; x: number; sf: number; cdf: number; scipy_sf: number }
export interface KupiecCase { n: number; x: number; coverage: number; p: number; lr: number; pValue: number; pValueExact: number; scipy_binomtest: number }
export interface ChristoffersenCase {
  sequence: string; coverage: number; n00: number; n01: number; n10: number; n11: number;
  lrInd: number; pInd: number; lrPof: number; lrCc: number; pCc: number;
}
export interface StudentTCase { dof: number; alpha: number; quantile: number; expectedShortfall: number; pdfAtQuantile: number }
export interface BacktestReference {
  binomial: BinomialCase[];
  gamma: GammaCase[];
  chiSquare: ChiSquareCase[];
  logGamma: { x: number; lgamma: number }[];
  beta: { a: number; b: number; x: number; y: number; I: number }[];
  kupiec: KupiecCase[];
  christoffersen: ChristoffersenCase[];
  studentT: StudentTCase[];
  normalTail: { alpha: number; valueAtRisk: number; expectedShortfall: number }[];
}

export interface PublishedVectors {
  backtests: {
    kupiec: { N: number; x: number; p: number; LR: number; pvalue: number; source: string }[];
    christoffersen: { N00: number; N01: number; N10: number; N11: number; LR_ind: number; p_ind: number; LR_cc: number; p_cc: number };
    traffic_light_mathworks: { N: number; x: number; p: number; P_le_x: number; P_ge_x: number; zone: string };
    basel_table_250_99: { exceptions: number; cum_prob: number; plus_factor: number; zone: string }[];
    acerbi_szekely_Z2_mc: {
      alpha: number;
      T250_normal: { q5: number; q1: number; q0_01: number };
      T250_t3: { q5: number; q1: number; q0_01: number };
      mathworks_T1966_q1: { normal: number; t3: number };
    };
  };
}

export const reference = readJsonFixture<BacktestReference>('fixtures/reference/backtest/backtest_reference.json');
export const published = readJsonFixture<PublishedVectors>('fixtures/reference/backtest/published_vectors.json');

/** |a/b - 1|, or |a| when b = 0. */
export function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a / b - 1);
}

/** Rounds to `digits` significant digits (for comparing with published figures). */
export function sig(x: number, digits: number): number {
  return Number(x.toPrecision(digits));
}
