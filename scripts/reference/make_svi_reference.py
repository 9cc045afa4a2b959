#!/usr/bin/python3
"""Generate fixtures/reference/surface/svi_reference.json: independent reference values for src/surface.

Regenerate from the repository root (deterministic; numpy 1.24 / scipy 1.10 / mpmath 1.2 were used):

    /usr/bin/python3 scripts/reference/make_svi_reference.py

Contents
--------
1. ``vogt`` / ``repaired``: Durrleman's g(k) of the Vogt arbitrage example (Gatheral & Jacquier 2014, credited
   to Axel Vogt) and of QuantLib's repaired slice, at 50 digits with mpmath. w' and w'' are taken by
   numerical differentiation (mpmath.diff) of the SVI *formula*, not from closed-form derivatives, so the
   reference shares no derivative code with the TypeScript. The minimum of g (root of dg/dk) and the ends of
   the interval where g < 0 are solved with mpmath.findroot. The risk-neutral density identity
   d2C/dK2 = g(k)/sqrt(2 pi w) exp(-d_minus^2/2)/K is checked at 50 digits on the undiscounted Black call price
   (reported in ``densityIdentityMaxRelError``).
2. ``fits``: synthetic slices from known raw SVI parameters with seeded noise on the implied vol
   (numpy.random.default_rng(seed), additive N(0, noiseVol^2) on sigma_BS), stored in full (TypeScript cannot
   replay numpy's generator). Each is fitted by scipy.optimize.least_squares (TRF, box bounds, tolerances 1e-15)
   on the five raw parameters, residuals sqrt(v_i) (w_model - w_i) with weights normalised to mean 1, from
   several deterministic starts (the best cost is kept). The fitted parameters, the weighted SSE and the
   unweighted RMSE are recorded, plus bid/ask vols (noisy mid +- halfSpread) and the share of quotes whose
   fitted model vol lies inside them.
"""
from __future__ import annotations

import json
import math
import os
import platform

import mpmath
import numpy as np
import scipy
from mpmath import mp, mpf
from scipy.optimize import least_squares

mp.dps = 50
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "reference", "surface", "svi_reference.json")
GENERATOR = "scripts/reference/make_svi_reference.py"


def svi_mp(p, k):
    a, b, rho, m, sigma = (mpf(p[x]) for x in ("a", "b", "rho", "m", "sigma"))
    x = k - m
    return a + b * (rho * x + mpmath.sqrt(x * x + sigma * sigma))


def g_mp(p, k):
    k = mpf(k)
    w = svi_mp(p, k)
    w1 = mpmath.diff(lambda t: svi_mp(p, t), k, 1)
    w2 = mpmath.diff(lambda t: svi_mp(p, t), k, 2)
    return (1 - k * w1 / (2 * w)) ** 2 - (w1 * w1 / 4) * (1 / w + mpf(1) / 4) + w2 / 2, w, w1, w2


def call_undiscounted(p, forward, strike):
    k = mpmath.log(strike / forward)
    w = svi_mp(p, k)
    sw = mpmath.sqrt(w)
    d1 = -k / sw + sw / 2
    d2 = d1 - sw
    return forward * mpmath.ncdf(d1) - strike * mpmath.ncdf(d2)


def slice_reference(p, sample_ks, guess_min, guesses_zero):
    samples = []
    for k in sample_ks:
        g, w, w1, w2 = g_mp(p, k)
        samples.append({"k": k, "w": float(w), "w1": float(w1), "w2": float(w2), "g": float(g), "g50": mpmath.nstr(g, 30)})
    kmin = mpmath.findroot(lambda t: mpmath.diff(lambda s: g_mp(p, s)[0], t), mpf(guess_min))
    out = {
        "params": p,
        "samples": samples,
        "argminK": float(kmin),
        "minG": float(g_mp(p, kmin)[0]),
    }
    if guesses_zero:
        out["negativeInterval"] = [float(mpmath.findroot(lambda t: g_mp(p, t)[0], mpf(z))) for z in guesses_zero]
    # density identity d2C/dK2 = g/sqrt(2 pi w) exp(-d_minus^2/2)/K, forward 100
    forward = mpf(100)
    worst = mpf(0)
    for k in (-0.8, -0.3, 0.0, 0.4, 0.8, 1.0, 1.5):
        strike = forward * mpmath.exp(mpf(k))
        d2c = mpmath.diff(lambda s: call_undiscounted(p, forward, s), strike, 2)
        g, w, _, _ = g_mp(p, mpf(k))
        sw = mpmath.sqrt(w)
        dm = -mpf(k) / sw - sw / 2
        dens = g / mpmath.sqrt(2 * mpmath.pi * w) * mpmath.exp(-dm * dm / 2) / strike
        worst = max(worst, abs(d2c - dens) / max(abs(dens), mpf(10) ** -30))
    out["densityIdentityMaxRelError"] = float(worst)
    return out


def jw_mp(p, t):
    a, b, rho, m, sigma = (mpf(p[x]) for x in ("a", "b", "rho", "m", "sigma"))
    wt = svi_mp(p, mpf(0))
    sw = mpmath.sqrt(wt)
    r0 = mpmath.sqrt(m * m + sigma * sigma)
    return {
        "v": float(wt / t),
        "psi": float(b / (2 * sw) * (rho - m / r0)),
        "p": float(b * (1 - rho) / sw),
        "c": float(b * (1 + rho) / sw),
        "vTilde": float((a + b * sigma * mpmath.sqrt(1 - rho * rho)) / t),
    }


# ---------------------------------------------------------------------------------------------- fits
def svi_np(x, k):
    a, b, rho, m, sigma = x
    d = k - m
    return a + b * (rho * d + np.sqrt(d * d + sigma * sigma))


def norm_pdf(x):
    return np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


CASES = [
    # name, params, expiry, k grid spec, noiseVol, seed, weights
    ("zeliade-example", dict(a=0.01, b=0.1, rho=-0.4, m=0.05, sigma=0.15), 0.5, ("linspace", -0.6, 0.6, 31), 0.002, 11, "uniform"),
    ("short-crypto", dict(a=0.004, b=0.05, rho=-0.2, m=0.01, sigma=0.05), 7 / 365, ("linspace", -0.25, 0.25, 25), 0.004, 12, "vega"),
    ("long-skew", dict(a=0.04, b=0.2, rho=-0.7, m=0.1, sigma=0.3), 1.0, ("uneven", -1.5, 0.8, 27), 0.002, 13, "uniform"),
    ("negative-a-repaired", dict(a=-0.0305199, b=0.102717, rho=0.100718, m=0.272344, sigma=0.412398), 1.0, ("linspace", -0.8, 1.5, 35), 0.002, 14, "vega"),
    ("positive-skew", dict(a=0.02, b=0.15, rho=0.3, m=-0.05, sigma=0.2), 0.25, ("linspace", -0.7, 0.9, 33), 0.003, 15, "uniform"),
]


def k_grid(spec):
    kind, lo, hi, n = spec
    if kind == "linspace":
        return np.linspace(lo, hi, n)
    u = np.linspace(0.0, 1.0, n)
    return lo + (hi - lo) * (0.6 * u + 0.4 * u ** 2)  # denser on the left


def fit_case(name, p, expiry, spec, noise_vol, seed, weight_kind):
    k = k_grid(spec)
    truth = np.array([p["a"], p["b"], p["rho"], p["m"], p["sigma"]])
    w_true = svi_np(truth, k)
    vol_true = np.sqrt(w_true / expiry)
    rng = np.random.default_rng(seed)
    vol = vol_true + noise_vol * rng.standard_normal(k.size)
    w = vol * vol * expiry
    if weight_kind == "vega":
        sw = np.sqrt(w)
        weights = norm_pdf(-k / sw + sw / 2)
        weights = weights / weights.max()
    else:
        weights = np.ones_like(k)
    v = weights * k.size / weights.sum()  # normalised to mean 1, as in the TypeScript fit
    sqv = np.sqrt(v)
    half_spread = 0.005
    bid = vol - half_spread
    ask = vol + half_spread

    def res(x):
        return sqv * (svi_np(x, k) - w)

    kmin, kmax = float(k.min()), float(k.max())
    rng_k = kmax - kmin
    lower = [-1.0, 0.0, -0.999, kmin - rng_k, min(0.005, rng_k / 20)]
    upper = [float(w.max()), 4.0, 0.999, kmax + rng_k, 10 * max(rng_k, 0.1)]
    k_at_min = float(k[np.argmin(w)])
    starts = [truth.copy()]
    for dm in (0.0, -0.25, 0.25):
        for sf in (0.15, 0.05, 0.4):
            starts.append(np.array([0.5 * float(w.min()), 0.1, 0.0, k_at_min + dm * rng_k, sf * rng_k]))
    best = None
    for x0 in starts:
        x0 = np.clip(x0, np.array(lower) + 1e-9, np.array(upper) - 1e-9)
        r = least_squares(res, x0, bounds=(lower, upper), method="trf", ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=20000)
        a, b, rho, m, sigma = r.x
        valid = a + b * sigma * math.sqrt(1 - rho * rho) > 0 and b * (1 + abs(rho)) <= 4
        if valid and (best is None or r.cost < best.cost):
            best = r
    x = best.x
    resid = svi_np(x, k) - w
    model_vol = np.sqrt(svi_np(x, k) / expiry)
    inside = float(np.mean((model_vol >= bid) & (model_vol <= ask)))
    return {
        "name": name,
        "trueParams": p,
        "expiry": expiry,
        "noiseVol": noise_vol,
        "seed": seed,
        "weightKind": weight_kind,
        "k": k.tolist(),
        "w": w.tolist(),
        "weights": weights.tolist(),
        "bidVol": bid.tolist(),
        "askVol": ask.tolist(),
        "scipy": {
            "params": dict(a=float(x[0]), b=float(x[1]), rho=float(x[2]), m=float(x[3]), sigma=float(x[4])),
            "weightedSse": float(np.sum(v * resid * resid)),
            "rmseTotalVariance": float(np.sqrt(np.mean(resid * resid))),
            "rmseVolPoints": float(100 * np.sqrt(np.mean((model_vol - vol) ** 2))),
            "insideBidAskShare": inside,
            "nfev": int(best.nfev),
            "status": int(best.status),
        },
    }


def main():
    vogt = dict(a=-0.041, b=0.1331, rho=0.306, m=0.3586, sigma=0.4153)
    repaired = dict(a=-0.0305199, b=0.102717, rho=0.100718, m=0.272344, sigma=0.412398)
    sample_ks = [-0.5, 0.0, 0.2, 0.5, 0.8, 1.0]
    out = {
        "_provenance": {
            "generator": GENERATOR,
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "mpmath": mpmath.__version__,
            "notes": "see the generator's docstring; floats are correctly rounded doubles of the 50-digit values",
        },
        "vogt": slice_reference(vogt, sample_ks, 0.88, [0.64, 1.26]),
        "repaired": slice_reference(repaired, sample_ks, 0.81, []),
        "vogtJw": jw_mp(vogt, mpf(1)),
        "repairedJw": jw_mp(repaired, mpf(1)),
        "fits": [fit_case(*c) for c in CASES],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print("wrote", os.path.relpath(OUT, ROOT))
    for f in out["fits"]:
        print(f["name"], f["scipy"]["params"], "rmseVolPts=%.4f" % f["scipy"]["rmseVolPoints"], "inside=%.3f" % f["scipy"]["insideBidAskShare"])
    print("vogt min g", out["vogt"]["minG"], out["vogt"]["argminK"], out["vogt"]["negativeInterval"], out["vogt"]["densityIdentityMaxRelError"])
    print("repaired min g", out["repaired"]["minG"], out["repaired"]["argminK"], out["repaired"]["densityIdentityMaxRelError"])


if __name__ == "__main__":
    main()
