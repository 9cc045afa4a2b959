/**
 * The MathWorks varbacktest worked example (EquityIndex, Normal95: N = 1043, 57 failures, p = 5 %; methods.md
 * §6.6) rebuilt as an exception series with the published transition counts N00 = 932, N01 = 53, N10 = 53,
 * N11 = 4 and the published first failure on day 58. The published numbers only depend on these counts, not on
 * where the other exceptions fall, so any series with them reproduces the example.
 */
export function mathworksNormal95Series(): boolean[] {
  const series: boolean[] = [];
  const zeros = (k: number): void => {
    for (let i = 0; i < k; i++) series.push(false);
  };
  zeros(57); // first failure on day 58
  for (let run = 0; run < 53; run++) {
    series.push(true);
    if (run < 4) series.push(true); // four runs of two exceptions: N11 = 4
    zeros(run < 52 ? 17 : 986 - 57 - 52 * 17); // 54 runs of zeros in all, the series ends with one
  }
  return series;
}
