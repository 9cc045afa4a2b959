#!/usr/bin/python3
"""Vectorised numpy + scipy.special.ndtr Black-Scholes (with yield q) for the pricing benchmark.

Run by scripts/bench/pricing.ts as a subprocess; it can also be run by hand on an input file it wrote:

    /usr/bin/python3 scripts/bench/pricing_numpy.py --input FILE --n N [--reps 5] [--prices-out FILE]

Input: seven float64 columns of length N, one after another, in native byte order (little-endian on x86/ARM):
spot, strike, expiry, rate, carry (yield q), vol, isCall (1.0 call, 0.0 put) -- exactly the arrays the
TypeScript benchmark priced (it draws them from its seeded generator and writes them here, so both sides see
the same bits).

Timed operations, each best of `reps` runs after one untimed warm-up, time.perf_counter (wall) and
time.process_time (CPU):
  price   -- theta (S e^{-qT} N(theta d1) - K e^{-rT} N(theta d2)), the textbook vectorised form;
  greeks  -- price plus the same eight Greeks as bsGreeksBatch (delta, gamma, vega, theta, rho, dividendRho,
             vanna, volga; vega per 1.00 vol, theta per year, rho per 1.00 rate).
Output: one JSON object on stdout (versions, wall time of every run and the best CPU time, in ms); with --prices-out, the prices of the price-only
kernel as float64 (native order) so the caller can compare them with its own.
"""
from __future__ import annotations

import argparse
import json
import platform
import sys
import time

import numpy as np
import scipy
from scipy.special import ndtr

ONE_OVER_SQRT_TWO_PI = 0.3989422804014327


def bs_price(S, K, T, r, q, vol, theta):
    sqrt_t = np.sqrt(T)
    s = vol * sqrt_t
    d1 = (np.log(S / K) + (r - q + 0.5 * vol * vol) * T) / s
    d2 = d1 - s
    return theta * (S * np.exp(-q * T) * ndtr(theta * d1) - K * np.exp(-r * T) * ndtr(theta * d2))


def bs_greeks(S, K, T, r, q, vol, theta):
    sqrt_t = np.sqrt(T)
    s = vol * sqrt_t
    d1 = (np.log(S / K) + (r - q + 0.5 * vol * vol) * T) / s
    d2 = d1 - s
    disc_q = np.exp(-q * T)
    disc_r = np.exp(-r * T)
    n1 = ndtr(theta * d1)
    n2 = ndtr(theta * d2)
    s_dq = S * disc_q
    k_dr = K * disc_r
    price = theta * (s_dq * n1 - k_dr * n2)
    pdf_term = s_dq * ONE_OVER_SQRT_TWO_PI * np.exp(-0.5 * d1 * d1)  # S e^{-qT} phi(d1)
    vega = pdf_term * sqrt_t
    delta = theta * disc_q * n1
    gamma = pdf_term / (S * S * s)
    theta_greek = -pdf_term * vol / (2 * sqrt_t) + theta * (q * s_dq * n1 - r * k_dr * n2)
    rho = theta * T * k_dr * n2
    dividend_rho = -theta * T * s_dq * n1
    vanna = -pdf_term / S * (d2 / vol)
    volga = vega * (d1 * d2 / vol)
    return price, delta, gamma, vega, theta_greek, rho, dividend_rho, vanna, volga


def best_of(reps, fn):
    """Wall-clock ms of each timed run and the smallest process CPU time (ms), after one warm-up."""
    fn()  # warm-up
    runs = []
    best_cpu = float('inf')
    for _ in range(reps):
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1e3)
        best_cpu = min(best_cpu, (time.process_time() - c0) * 1e3)
    return runs, best_cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--input', required=True)
    parser.add_argument('--n', type=int, required=True)
    parser.add_argument('--reps', type=int, default=5)
    parser.add_argument('--prices-out')
    args = parser.parse_args()

    n = args.n
    data = np.fromfile(args.input, dtype=np.float64)
    if data.size != 7 * n:
        print(json.dumps({'error': f'expected {7 * n} doubles in {args.input}, found {data.size}'}))
        return 2
    S, K, T, r, q, vol, is_call = (data[j * n:(j + 1) * n] for j in range(7))
    theta = 2.0 * is_call - 1.0

    price_runs, price_cpu = best_of(args.reps, lambda: bs_price(S, K, T, r, q, vol, theta))
    greeks_runs, greeks_cpu = best_of(args.reps, lambda: bs_greeks(S, K, T, r, q, vol, theta))
    if args.prices_out:
        bs_price(S, K, T, r, q, vol, theta).astype(np.float64).tofile(args.prices_out)

    print(json.dumps({
        'python': platform.python_version(),
        'numpy': np.__version__,
        'scipy': scipy.__version__,
        'n': n,
        'priceRunsMs': price_runs,
        'priceBestCpuMs': price_cpu,
        'greeksRunsMs': greeks_runs,
        'greeksBestCpuMs': greeks_cpu,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
