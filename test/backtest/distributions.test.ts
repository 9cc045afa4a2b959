import jStat from 'jstat';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/index.ts';
import {
  binomialCdf,
  binomialPmf,
  binomialSurvival,
  normalTail,
  sampleGamma,
  sampleStudentT,
  studentTPdf,
  studentTQuantile,
  studentTTail,
} from '../../src/backtest/index.ts';
import { reference, relErr } from './reference.ts';

describe('binomial distribution against exact mpmath sums', () => {
  it('pmf, cdf and survival to ~1e-14 relative in both tails, a few ulps per unit of exponent (n up to 20 000, values down to 1e-300)', () => {
    let worstPmf = 0;
    let worstTail = 0;
    let smallest = 1;
    for (const c of reference.binomial) {
      const label = `n=${c.n} p=${c.p} x=${c.x}`;
      const pmf = binomialPmf(c.x, c.n, c.p);
      const cdf = binomialCdf(c.x, c.n, c.p);
      const sf = binomialSurvival(c.x, c.n, c.p);
      const ePmf = c.pmf === 0 ? pmf : relErr(pmf, c.pmf);
      // each tail to relative accuracy where it is the smaller one, to absolute accuracy where it is near 1
      const eCdf = c.cdf <= 0.5 ? relErr(cdf, c.cdf) : Math.abs(cdf - c.cdf);
      const eSf = c.sf <= 0.5 ? relErr(sf, c.sf) : Math.abs(sf - c.sf);
      worstPmf = Math.max(worstPmf, ePmf);
      worstTail = Math.max(worstTail, eCdf, eSf);
      if (c.cdf > 0) smallest = Math.min(smallest, c.cdf);
      if (c.sf > 0) smallest = Math.min(smallest, c.sf);
      // a probability exp(-E) carries a relative error of about E ulps (the exponent's own rounding), so the
      // tolerance is 2e-14 plus 4 ulps per unit of |ln(value)| (1e-168 -> 3.6e-13)
      const tol = (v: number): number => 2e-14 + 8.9e-16 * Math.abs(Math.log(Math.max(v, 1e-300)));
      expect(ePmf, `pmf ${label}: ${pmf} vs ${c.pmf}`).toBeLessThan(tol(c.pmf));
      expect(eCdf, `cdf ${label}: ${cdf} vs ${c.cdf}`).toBeLessThan(tol(c.cdf));
      expect(eSf, `sf ${label}: ${sf} vs ${c.sf}`).toBeLessThan(tol(c.sf));
    }
    console.info(
      `binomial: ${reference.binomial.length} cases, worst pmf rel err ${worstPmf.toExponential(2)}, worst tail err ${worstTail.toExponential(2)}, smallest tail ${smallest.toExponential(2)}`,
    );
  });

  it('is more accurate than jstat in the far tail (jstat is only used where documented)', () => {
    // P(X > 40) for Bin(250, 0.01): jstat's 1 - cdf cannot represent it
    const c = reference.binomial.find((r) => r.n === 250 && r.p === 0.01 && r.sf < 1e-20 && r.sf > 0);
    expect(c).toBeDefined();
    if (c === undefined) return;
    expect(relErr(binomialSurvival(c.x, c.n, c.p), c.sf)).toBeLessThan(1e-13);
    expect(Math.abs(1 - jStat.binomial.cdf(c.x, c.n, c.p) - c.sf) / c.sf).toBeGreaterThan(1e-3);
  });

  it('edge cases: degenerate p, x outside [0, n], non-integer x, bad parameters', () => {
    expect(binomialPmf(0, 10, 0)).toBe(1);
    expect(binomialPmf(1, 10, 0)).toBe(0);
    expect(binomialPmf(10, 10, 1)).toBe(1);
    expect(binomialCdf(3, 10, 0)).toBe(1);
    expect(binomialSurvival(3, 10, 1)).toBe(1);
    expect(binomialCdf(9, 10, 1)).toBe(0);
    expect(binomialCdf(-1, 10, 0.3)).toBe(0);
    expect(binomialCdf(10, 10, 0.3)).toBe(1);
    expect(binomialSurvival(10, 10, 0.3)).toBe(0);
    expect(binomialSurvival(-0.5, 10, 0.3)).toBe(1);
    expect(binomialCdf(2.7, 10, 0.3)).toBe(binomialCdf(2, 10, 0.3));
    expect(binomialPmf(2.5, 10, 0.3)).toBe(0);
    expect(binomialPmf(0, 0, 0.3)).toBe(1);
    expect(binomialCdf(1, 10.5, 0.3)).toBeNaN();
    expect(binomialCdf(1, 10, 1.5)).toBeNaN();
    expect(binomialCdf(Number.NaN, 10, 0.5)).toBeNaN();
    // the two tails are complementary
    for (const [x, n, p] of [[3, 250, 0.01], [57, 1043, 0.05], [500, 1000, 0.5]] as const) {
      expect(binomialCdf(x, n, p) + binomialSurvival(x, n, p)).toBeCloseTo(1, 15);
    }
  });
});

describe('Student t and normal tails', () => {
  it('quantile, density and closed-form ES within 1e-13 of mpmath (jstat alone is off by up to 2e-8)', () => {
    let worstQ = 0;
    for (const c of reference.studentT) {
      const q = studentTQuantile(c.alpha, c.dof);
      worstQ = Math.max(worstQ, relErr(q, c.quantile));
      expect(relErr(q, c.quantile), `t quantile dof=${c.dof} alpha=${c.alpha}`).toBeLessThan(1e-13);
      expect(relErr(studentTPdf(c.quantile, c.dof), c.pdfAtQuantile)).toBeLessThan(1e-13);
      expect(relErr(studentTQuantile(1 - c.alpha, c.dof), -c.quantile)).toBeLessThan(1e-13);
      if (c.dof > 1) {
        const tail = studentTTail(c.alpha, c.dof);
        expect(relErr(tail.valueAtRisk, -c.quantile)).toBeLessThan(1e-13);
        expect(relErr(tail.expectedShortfall, c.expectedShortfall), `ES dof=${c.dof} alpha=${c.alpha}`).toBeLessThan(1e-13);
      }
    }
    console.info(`t quantile: worst relative error ${worstQ.toExponential(2)} over ${reference.studentT.length} cases`);
    // jstat's own quantile, for the record: the Newton polish is what makes the difference
    const jstatWorst = Math.max(...reference.studentT.map((c) => relErr(jStat.studentt.inv(c.alpha, c.dof), c.quantile)));
    expect(jstatWorst).toBeGreaterThan(1e-9);
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTTail(0.025, 1).expectedShortfall).toBeNaN();
  });

  it('normal VaR/ES at alpha to 1e-15 of mpmath', () => {
    for (const c of reference.normalTail) {
      const t = normalTail(c.alpha);
      expect(relErr(t.valueAtRisk, c.valueAtRisk)).toBeLessThan(1e-15);
      expect(relErr(t.expectedShortfall, c.expectedShortfall)).toBeLessThan(1e-14);
    }
  });

  it('seeded gamma and t samplers have the right moments and are reproducible', () => {
    const rng = createRng('gamma-moments');
    for (const shape of [0.4, 1, 2.5, 7]) {
      const m = 200000;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < m; i++) {
        const g = sampleGamma(rng, shape);
        s1 += g;
        s2 += g * g;
      }
      const mean = s1 / m;
      const variance = s2 / m - mean * mean;
      // mean shape, variance shape; 6 standard errors (sd of the mean sqrt(shape/m))
      expect(Math.abs(mean - shape), `mean shape=${shape}`).toBeLessThan(6 * Math.sqrt(shape / m));
      expect(Math.abs(variance / shape - 1), `var shape=${shape}`).toBeLessThan(0.03);
    }
    // t(5): variance 5/3; P(T < q_0.025) = 0.025
    const q = studentTQuantile(0.025, 5);
    let below = 0;
    let s2 = 0;
    const m = 200000;
    const r = createRng(7);
    for (let i = 0; i < m; i++) {
      const t = sampleStudentT(r, 5);
      if (t < q) below++;
      s2 += t * t;
    }
    expect(Math.abs(below / m - 0.025)).toBeLessThan(6 * Math.sqrt((0.025 * 0.975) / m));
    expect(Math.abs(s2 / m / (5 / 3) - 1)).toBeLessThan(0.05);
    const a = createRng(11);
    const b = createRng(11);
    expect([sampleStudentT(a, 3), sampleGamma(a, 0.7)]).toEqual([sampleStudentT(b, 3), sampleGamma(b, 0.7)]);
    expect(sampleGamma(a, 0)).toBeNaN();
  });
});
