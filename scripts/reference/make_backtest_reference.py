#!/usr/bin/python3
"""Reference values for the backtest statistics (test/backtest/*.test.ts).

    /usr/bin/python3 scripts/reference/make_backtest_reference.py

Writes fixtures/reference/backtest/backtest_reference.json. Everything is computed with mpmath at 50 significant
digits from the defining formulas (no scipy code path), and scipy's value is recorded next to it where scipy
has the function, for information (the tests compare with the mpmath value):

* binomial: P(X = k), P(X <= x), P(X > x) for X ~ Bin(n, p) as exact sums of C(n, k) p^k q^(n-k), with p the
  double that the TypeScript code uses (the double nearest 1 - coverage taken in decimal, as
  src/backtest/stats/decimal.ts does) and q = 1 - p exactly;
* regularized upper/lower incomplete gamma Q(a, x), P(a, x) (mpmath.gammainc, regularized) and chi-square
  survival Q(k/2, x/2), including deep tails (values down to ~1e-300);
* ln Gamma (mpmath.loggamma) and the regularized incomplete beta (mpmath.betainc, with y = 1 - x exact);
* Kupiec POF: LR = 2 [x ln(x/(np)) + (n-x) ln((n-x)/(nq))] (0 ln 0 = 0), p-value Q(1/2, LR/2), and the exact
  two-sided binomial p-value with scipy.stats.binomtest's definition (outcomes with P(X = k) <= P(X = x)(1 + 1e-7),
  see src/backtest/stats/binomialTest.ts) evaluated with mpmath masses; scipy.stats.binomtest's own value is
  recorded too;
* Christoffersen: transition counts of fixed 0/1 sequences (stored as strings) and LR_ind, LR_cc with their
  chi-square(1)/(2) p-values;
* Student t: quantiles (mpmath root of the regularized incomplete beta cdf) and the ES of the standard t at
  alpha, by numerical integration of x f(x) over the tail (independent of the closed form used in the code);
* the standard normal tail VaR/ES at alpha.
"""
from __future__ import annotations

import json
import os
import sys
from decimal import Decimal

import mpmath as mp
import numpy as np
import scipy
from scipy import stats

mp.mp.dps = 50
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "reference", "backtest", "backtest_reference.json")


def rate(coverage: float) -> float:
    """1 - coverage on the decimal of coverage, rounded once (as decimalComplement in decimal.ts)."""
    return float(Decimal(1) - Decimal(repr(coverage)))


def f(x) -> float:
    return float(x)


def pmf(k: int, n: int, p: mp.mpf) -> mp.mpf:
    if k < 0 or k > n:
        return mp.mpf(0)
    return mp.binomial(n, k) * p**k * (1 - p) ** (n - k)


def cdf(x: int, n: int, p: mp.mpf) -> mp.mpf:
    """P(X <= x) as a direct sum of its own terms (no 1 - other tail: that would cancel in the far tail)."""
    if x < 0:
        return mp.mpf(0)
    if x >= n:
        return mp.mpf(1)
    return mp.fsum(pmf(k, n, p) for k in range(0, x + 1))


def sf(x: int, n: int, p: mp.mpf) -> mp.mpf:
    """P(X > x) as a direct sum of its own terms."""
    if x < 0:
        return mp.mpf(1)
    if x >= n:
        return mp.mpf(0)
    return mp.fsum(pmf(k, n, p) for k in range(x + 1, n + 1))


def binomial_cases():
    cases = []
    grid = [
        (1, 0.99), (5, 0.99), (10, 0.5), (20, 0.7), (250, 0.99), (250, 0.95), (250, 0.975), (500, 0.99),
        (500, 0.995), (1000, 0.99), (1043, 0.95), (1043, 0.99), (2500, 0.999), (5000, 0.9999), (10000, 0.99),
        (20000, 0.975), (3, 0.1),
    ]
    for n, coverage in grid:
        p_double = rate(coverage)
        p = mp.mpf(p_double)
        mean = n * p_double
        sd = (n * p_double * (1 - p_double)) ** 0.5
        xs = {0, 1, n - 1, n, int(mean), int(mean) + 1}
        for z in (-6, -3, -1.5, 1.5, 3, 6, 10, 20, 40):
            xs.add(int(round(mean + z * sd)))
        for x in (2, 3, 5, 10, 15):
            xs.add(x)
        xs.add(min(n, int(mean * 3 + 10)))
        for x in sorted(v for v in xs if 0 <= v <= n):
            c = cdf(x, n, p)
            s = sf(x, n, p)
            cases.append({
                "n": n, "coverage": coverage, "p": p_double, "x": x,
                "pmf": f(pmf(x, n, p)), "cdf": f(c), "sf": f(s),
                "scipy_cdf": float(stats.binom.cdf(x, n, p_double)), "scipy_sf": float(stats.binom.sf(x, n, p_double)),
            })
    return cases


def gamma_cases():
    out = []
    for a in (0.3, 0.5, 1, 1.5, 2, 2.5, 3.7, 5, 10, 15, 15.5, 20.25, 50, 200):
        for x in (1e-3, 0.1, 0.5, 1, 2, 3, 5, a * 0.5, a, a + 1, a + 5 * a**0.5, 10, 30, 100, 300, 700):
            q = mp.gammainc(mp.mpf(a), mp.mpf(x), mp.inf, regularized=True)
            pl = mp.gammainc(mp.mpf(a), 0, mp.mpf(x), regularized=True)
            out.append({"a": a, "x": float(x), "Q": f(q), "P": f(pl)})
    return out


def chi2_cases():
    out = []
    for k in (1, 2, 3, 4, 5, 10, 30, 100):
        for x in (0.01, 0.1, 0.46146639532895506, 1, 2, 3.841458820694124, 5.991464547107979, 10, 20, 50, 100, 200, 500, 1000, 1400):
            q = mp.gammainc(mp.mpf(k) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)
            if q < mp.mpf("1e-305"):
                continue
            out.append({"dof": k, "x": x, "sf": f(q), "cdf": f(1 - q), "scipy_sf": float(stats.chi2.sf(x, k))})
    return out


def beta_cases():
    out = []
    for a, b in ((0.5, 0.5), (1.25, 0.5), (1.5, 0.5), (2.5, 0.5), (15, 0.5), (50, 0.5), (2, 3), (7.5, 1.2), (0.3, 4)):
        for x in ("1e-6", "0.01", "0.1", "0.3", "0.5", "0.7", "0.9", "0.99", "0.999999"):
            xm = mp.mpf(float(x))
            out.append({"a": a, "b": b, "x": float(x), "y": f(1 - xm), "I": f(mp.betainc(a, b, 0, xm, regularized=True))})
    return out


def loggamma_cases():
    return [{"x": x, "lgamma": f(mp.loggamma(mp.mpf(x)))} for x in (1e-8, 0.01, 0.3, 0.5, 0.9, 1, 1.2, 1.5, 2, 2.5, 3.7, 7.25, 10, 14.9, 15, 15.1, 30.5, 100, 1234.5, 1e6)]


def lr_pof(n: int, x: int, p: mp.mpf) -> mp.mpf:
    q = 1 - p
    lr = mp.mpf(0)
    if x > 0:
        lr += x * mp.log(mp.mpf(x) / (n * p))
    if n - x > 0:
        lr += (n - x) * mp.log(mp.mpf(n - x) / (n * q))
    return 2 * lr


def exact_two_sided(x: int, n: int, p: mp.mpf) -> mp.mpf:
    d = pmf(x, n, p)
    limit = d * (1 + mp.mpf("1e-7"))
    mean = n * p
    if x == mean:
        return mp.mpf(1)
    total = mp.mpf(0)
    if x < mean:
        total += cdf(x, n, p)
        other = [k for k in range(int(mp.ceil(mean)), n + 1) if pmf(k, n, p) <= limit]
    else:
        total += sf(x - 1, n, p)
        other = [k for k in range(0, int(mp.floor(mean)) + 1) if pmf(k, n, p) <= limit]
    total += mp.fsum(pmf(k, n, p) for k in other)
    return min(mp.mpf(1), total)


def kupiec_cases():
    out = []
    grid = [(1043, 57, 0.95), (250, 3, 0.95), (250, 3, 0.99), (1043, 17, 0.99)]
    for n, coverage in ((250, 0.99), (250, 0.95), (500, 0.995), (1000, 0.99), (100, 0.9), (2000, 0.975)):
        mean = n * rate(coverage)
        for x in sorted({0, 1, 2, int(mean), int(mean) + 1, int(2 * mean), int(3 * mean) + 1, int(5 * mean) + 3, n // 2, n}):
            grid.append((n, x, coverage))
    for n, x, coverage in grid:
        p_double = rate(coverage)
        p = mp.mpf(p_double)
        lr = lr_pof(n, x, p)
        out.append({
            "n": n, "x": x, "coverage": coverage, "p": p_double,
            "lr": f(lr), "pValue": f(mp.erfc(mp.sqrt(lr / 2))), "pValueExact": f(exact_two_sided(x, n, p)),
            "scipy_binomtest": float(stats.binomtest(x, n, p_double).pvalue),
        })
    return out


def transitions(seq: str):
    c = {"n00": 0, "n01": 0, "n10": 0, "n11": 0}
    for a, b in zip(seq, seq[1:]):
        c["n" + a + b] += 1
    return c


def lr_ind(c) -> mp.mpf:
    n00, n01, n10, n11 = (mp.mpf(c[k]) for k in ("n00", "n01", "n10", "n11"))

    def xlogy(k, pr):
        return mp.mpf(0) if k == 0 else k * mp.log(pr)

    total = n00 + n01 + n10 + n11
    pi = (n01 + n11) / total
    l0 = xlogy(n00 + n10, 1 - pi) + xlogy(n01 + n11, pi)
    l1 = mp.mpf(0)
    if n00 + n01 > 0:
        pi01 = n01 / (n00 + n01)
        l1 += xlogy(n00, 1 - pi01) + xlogy(n01, pi01)
    if n10 + n11 > 0:
        pi11 = n11 / (n10 + n11)
        l1 += xlogy(n10, 1 - pi11) + xlogy(n11, pi11)
    return 2 * (l1 - l0)


def christoffersen_cases():
    rng = np.random.default_rng(20240611)
    seqs = []
    # clustered, independent and anti-clustered sequences of a few lengths (Markov chains), plus hand-made ones
    for n, p01, p11 in ((250, 0.01, 0.3), (250, 0.02, 0.02), (500, 0.005, 0.5), (1000, 0.01, 0.0), (1000, 0.05, 0.15), (300, 0.3, 0.05)):
        s = []
        state = 0
        for _ in range(n):
            state = int(rng.random() < (p11 if state else p01))
            s.append(str(state))
        seqs.append(("".join(s), 0.99 if p01 < 0.03 else 0.95))
    seqs += [("0" * 100, 0.99), ("1" * 50, 0.99), ("0" * 99 + "1", 0.99), ("01" * 50, 0.99), ("1" + "0" * 99, 0.99), ("0011" * 25, 0.95)]
    out = []
    for seq, coverage in seqs:
        c = transitions(seq)
        p = mp.mpf(rate(coverage))
        ind = lr_ind(c)
        pof = lr_pof(len(seq), seq.count("1"), p)
        cc = pof + ind
        out.append({
            "sequence": seq, "coverage": coverage, **c,
            "lrInd": f(ind), "pInd": f(mp.erfc(mp.sqrt(ind / 2))),
            "lrPof": f(pof), "lrCc": f(cc), "pCc": f(mp.exp(-cc / 2)),
        })
    return out


def t_cases():
    out = []
    for dof in (2.5, 3, 4, 5, 10, 30):
        nu = mp.mpf(dof)
        for alpha in (0.025, 0.01, 0.05, 1e-4):
            a = mp.mpf(repr(alpha))

            def cdf_t(t):
                return mp.betainc(nu / 2, mp.mpf(1) / 2, 0, nu / (nu + t * t), regularized=True) / 2  # for t < 0

            q = mp.findroot(lambda t: cdf_t(t) - a, mp.mpf(float(stats.t.ppf(alpha, dof))))

            def pdf(t):
                return mp.gamma((nu + 1) / 2) / (mp.sqrt(nu * mp.pi) * mp.gamma(nu / 2)) * (1 + t * t / nu) ** (-(nu + 1) / 2)

            es = -mp.quad(lambda t: t * pdf(t), [-mp.inf, q]) / a
            out.append({"dof": dof, "alpha": alpha, "quantile": f(q), "expectedShortfall": f(es), "pdfAtQuantile": f(pdf(q))})
    return out


def normal_tail_cases():
    out = []
    for alpha in (0.025, 0.01, 0.05):
        a = mp.mpf(repr(alpha))
        z = -mp.sqrt(2) * mp.erfinv(2 * a - 1)
        es = mp.npdf(z) / a
        out.append({"alpha": alpha, "valueAtRisk": f(z), "expectedShortfall": f(es)})
    return out


def main() -> None:
    data = {
        "_provenance": {
            "script": "scripts/reference/make_backtest_reference.py",
            "python": sys.version.split()[0],
            "mpmath": mp.__version__,
            "scipy": scipy.__version__,
            "numpy": np.__version__,
            "mp_dps": mp.mp.dps,
        },
        "binomial": binomial_cases(),
        "gamma": gamma_cases(),
        "chiSquare": chi2_cases(),
        "logGamma": loggamma_cases(),
        "beta": beta_cases(),
        "kupiec": kupiec_cases(),
        "christoffersen": christoffersen_cases(),
        "studentT": t_cases(),
        "normalTail": normal_tail_cases(),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(data, fh, indent=1)
        fh.write("\n")
    print(f"wrote {OUT}: " + ", ".join(f"{k} {len(v)}" for k, v in data.items() if isinstance(v, list)))
    # scipy's binomtest must agree with the mpmath evaluation of the same definition
    worst = max(abs(c["pValueExact"] - c["scipy_binomtest"]) for c in data["kupiec"])
    print(f"max |mpmath exact p - scipy.binomtest| = {worst:.3g}")


if __name__ == "__main__":
    main()
