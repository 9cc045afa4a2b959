/**
 * Minimal typings for the parts of jstat 1.9 used by src/ and the tests (the package ships none). Use the default
 * import, `import jStat from 'jstat'`: DESIGN.md §10 notes the named import crashes outside vitest.
 * The project's single `declare module 'jstat'` (ambient, so it serves every directory; it moved here from
 * test/support/ when src/backtest/stats/distributions/studentT.ts started using jstat). It lives under
 * src/backtest/ rather than a shared src/types/ because the architecture test rejects directories that are not
 * layers of DESIGN.md §2. Extend it here rather than declaring the module a second time.
 */
declare module 'jstat' {
  interface JStatContinuous<Params extends number[]> {
    pdf(x: number, ...params: Params): number;
    cdf(x: number, ...params: Params): number;
    inv(p: number, ...params: Params): number;
  }
  interface JStatStatic {
    /** Chi-square distribution with `dof` degrees of freedom. */
    chisquare: JStatContinuous<[dof: number]>;
    /** Normal distribution with mean and standard deviation. */
    normal: JStatContinuous<[mean: number, std: number]>;
    /** Student's t distribution with `dof` degrees of freedom. */
    studentt: JStatContinuous<[dof: number]>;
    /** Binomial distribution. */
    binomial: {
      pdf(k: number, n: number, p: number): number;
      cdf(k: number, n: number, p: number): number;
    };
  }
  const jStat: JStatStatic;
  export default jStat;
}
