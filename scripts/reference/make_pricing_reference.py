#!/usr/bin/python3
"""Generate fixtures/reference/pricing/mpmath-40.json (and fixtures/reference/normal/mpmath-40.json).

Independent high-precision reference values for the option-pricing layer of Aftershock.

* Only the Python standard library and mpmath are used. mp.dps = 60.
* Every input is an exact IEEE double (Python float) drawn from random.Random(SEED); all arithmetic is
  then done in mpmath on mpf(double), which is exact.
* Greeks are derivatives of the *price function* taken numerically with mpmath.diff at 60 digits (with
  an adaptive extra precision, see `derivative`), NOT closed-form Greek formulas, so the reference does
  not share formulas with the TypeScript code. Closed forms are evaluated only as a cross-check
  (reported in provenance.crossCheck).
* Every value is written as a 40-significant-digit string and as the correctly rounded double.

Regenerate (from the repository root):

    /usr/bin/python3 scripts/reference/make_pricing_reference.py

Options: --jobs N (worker processes, default 2), --date YYYY-MM-DD (provenance date; default today; the
only clock-dependent field), --out PATH, --out-normal PATH.
"""
from __future__ import annotations

import argparse
import datetime
import json
import math
import multiprocessing
import os
import platform
import random
import statistics
import sys
import time

import mpmath
from mpmath import mp, mpf
from mpmath.libmp import to_str

mp.dps = 60

SEED = 20260205
DIGITS = 40
DBL_MIN = 2.0 ** -1022
HOUR = 1.0 / 8760.0
GENERATOR = "scripts/reference/make_pricing_reference.py"

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT_PRICING = os.path.join(ROOT, "fixtures", "reference", "pricing", "mpmath-40.json")
OUT_NORMAL = os.path.join(ROOT, "fixtures", "reference", "normal", "mpmath-40.json")

# Bits of agreement required between two successive numerical-derivative estimates.
GOOD_BITS_VALUE = 185  # ~55.7 digits, for the reported values (computed at 60 digits)
KAPPA_DPS = 20  # condition numbers need a few digits only
GOOD_BITS_KAPPA = 30


# ----------------------------------------------------------------------------------------------
# Output helpers
# ----------------------------------------------------------------------------------------------

def to_double(v) -> float:
    """Correctly rounded (round-half-even) IEEE double nearest to the mpf v, subnormals included."""
    v = mpf(v)
    sign, man, exp, _bc = v._mpf_
    if man == 0:
        if v == 0:
            return -0.0 if sign else 0.0
        return float(v)  # inf / nan
    try:
        if exp >= 0:
            x = float(man << exp)
        else:
            x = man / (1 << -exp)  # Python int true division is correctly rounded
    except OverflowError:
        x = math.inf
    return -x if sign else x


def s40(v) -> str:
    return to_str(mpf(v)._mpf_, DIGITS, strip_zeros=False, min_fixed=-4, max_fixed=16)


def round_kappa(k):
    if k is None or not mp.isfinite(k):
        return None
    return float("%.6g" % to_double(k))


def rec(v, kappa=None, with_kappa=True) -> dict:
    d = to_double(v)
    finite = math.isfinite(d)
    r = {"digits": s40(v), "double": d if finite else None, "normal": bool(finite and abs(d) >= DBL_MIN)}
    if with_kappa:
        r["kappa"] = round_kappa(kappa)
    return r


# ----------------------------------------------------------------------------------------------
# mpmath model functions (all evaluated at the *current* mp precision, with an adaptive guard
# against cancellation so that the result is accurate to ~mp.prec bits relative)
# ----------------------------------------------------------------------------------------------

def ncdf(x):
    return mp.erfc(-x / mp.sqrt(2)) / 2


def npdf(x):
    return mp.exp(-x * x / 2) / mp.sqrt(2 * mp.pi)


def _guarded_difference(terms):
    """theta*(a - b) computed so that the relative error is ~2^-prec despite cancellation.

    `terms()` returns (theta, a, b) evaluated at the current precision."""
    extra = 20
    for _ in range(12):
        with mp.extraprec(extra):
            th, a, b = terms()
            v = th * (a - b)
            big = max(abs(a), abs(b))
            if big == 0:
                return mpf(0)
            loss = (mp.mag(big) - mp.mag(v)) if v != 0 else mp.prec + extra
            if loss <= extra - 12:
                return v  # callers round with unary plus at their own precision
        extra = int(loss) + 40
    raise RuntimeError("cancellation guard did not converge")


def bs_price(S, K, T, r, q, sig, theta):
    """Generalised Black-Scholes with continuous yield q: theta*[S e^{-qT} Phi(theta d1) - K e^{-rT} Phi(theta d2)]."""
    def terms():
        sq = sig * mp.sqrt(T)
        d1 = (mp.log(S / K) + (r - q + sig * sig / 2) * T) / sq
        d2 = d1 - sq
        a = S * mp.exp(-q * T) * ncdf(theta * d1)
        b = K * mp.exp(-r * T) * ncdf(theta * d2)
        return theta, a, b
    v = _guarded_difference(terms)
    return +v


def black_undiscounted(F, K, T, sig, theta):
    """theta*[F Phi(theta d1) - K Phi(theta d2)], d1,2 = ln(F/K)/(sig sqrt T) +- sig sqrt T / 2."""
    def terms():
        sq = sig * mp.sqrt(T)
        d1 = mp.log(F / K) / sq + sq / 2
        d2 = d1 - sq
        return theta, F * ncdf(theta * d1), K * ncdf(theta * d2)
    return +_guarded_difference(terms)


def black76_price(F, K, T, r, sig, theta):
    with mp.extraprec(10):
        v = mp.exp(-r * T) * black_undiscounted(F, K, T, sig, theta)
    return +v


def inverse_price_coin(F, K, T, sig, theta):
    with mp.extraprec(10):
        v = black_undiscounted(F, K, T, sig, theta) / F
    return +v


# ----------------------------------------------------------------------------------------------
# Numerical differentiation with adaptive extra precision
# ----------------------------------------------------------------------------------------------

def derivative(f, x, orders, good_bits, step_bits=16, abs_floor=0):
    """Partial derivative of f at the point x (list of mpf) with multi-index `orders`, by mpmath.diff.

    mpmath.diff uses central differences with step h = 2^-(prec+addprec) evaluated at
    (prec + 2 addprec)(n+1) bits; the rounding error is ~|f| 2^-(prec+(n+2) addprec), which can swamp a
    derivative that is tiny relative to f (e.g. the gamma of a deep in-the-money option). We therefore
    increase addprec until two successive estimates agree to `good_bits` bits relative to
    max(|estimate|, abs_floor). With abs_floor = 0 an exact zero (all function values equal at the working
    precision) never counts as agreement."""
    n = sum(orders)
    if n == 0:
        return f(*x)
    f0 = abs(f(*x))
    a = 10
    prev = mp.diff(f, x, list(orders), addprec=a)
    for _ in range(24):
        if prev != 0 and f0 != 0:
            need = int((mp.mag(f0) - mp.mag(prev) + good_bits + 16) / (n + 2)) + 1
            a2 = max(a + step_bits, need)
        else:
            a2 = 2 * a + 64
        cur = mp.diff(f, x, list(orders), addprec=a2)
        if (cur != 0 or abs_floor > 0) and \
                abs(cur - prev) <= max(abs(cur), abs_floor) * mp.ldexp(1, -good_bits):
            return cur
        prev, a = cur, a2
    raise RuntimeError("numerical derivative did not settle for orders %r at %r" % (orders, x))


def outputs_with_kappa(fs, x, spec):
    """spec: list of (name, sign, orders, which); fs[which] is the price function to differentiate.

    Returns {name: (value_mpf, kappa_mpf or None)}: value = sign * d^orders fs[which] (60 digits);
    kappa = sum_p |p * d(value)/dp| / |value| (KAPPA_DPS digits). A term of kappa is only needed to 30 bits
    relative to max(|term|, 1e-15 |value|/|p|): terms below 1e-15 |value| do not move kappa."""
    vals = {}
    for name, sign, orders, which in spec:
        vals[name] = sign * derivative(fs[which], x, orders, GOOD_BITS_VALUE)
    cache = {}
    res = {}
    with mp.workdps(KAPPA_DPS):
        for name, sign, orders, which in spec:
            v = vals[name]
            if v == 0:
                res[name] = (v, None)
                continue
            tot = mpf(0)
            for i, p in enumerate(x):
                if p == 0:
                    continue  # p * d/dp = 0
                o2 = list(orders)
                o2[i] += 1
                key = (which, tuple(o2))
                floor = mpf("1e-15") * abs(v) / abs(p)
                hit = cache.get(key)
                if hit is None or hit[1] > floor:
                    hit = (derivative(fs[which], x, key[1], GOOD_BITS_KAPPA, step_bits=8, abs_floor=floor), floor)
                    cache[key] = hit
                tot += abs(p * hit[0])
            res[name] = (v, tot / abs(v))
    return res


# ----------------------------------------------------------------------------------------------
# Closed forms, used only for the cross-check (evaluated at 100 digits)
# ----------------------------------------------------------------------------------------------

def bs_closed(S, K, T, r, q, sig, th):
    with mp.workdps(100):
        sq = sig * mp.sqrt(T)
        d1 = (mp.log(S / K) + (r - q + sig * sig / 2) * T) / sq
        d2 = d1 - sq
        dq, dr = mp.exp(-q * T), mp.exp(-r * T)
        n1 = npdf(d1)
        N1, N2 = ncdf(th * d1), ncdf(th * d2)
        price = th * (S * dq * N1 - K * dr * N2)
        out = {
            "price": price,
            "delta": th * dq * N1,
            "gamma": dq * n1 / (S * sq),
            "vega": S * dq * n1 * mp.sqrt(T),
            "theta": -S * dq * n1 * sig / (2 * mp.sqrt(T)) - th * r * K * dr * N2 + th * q * S * dq * N1,
            "rho": th * K * T * dr * N2,
            "dividendRho": -th * S * T * dq * N1,
            "vanna": -dq * n1 * d2 / sig,
            "volga": S * dq * n1 * mp.sqrt(T) * d1 * d2 / sig,
        }
        return {k: +v for k, v in out.items()}


def b76_closed(F, K, T, r, sig, th):
    with mp.workdps(100):
        sq = sig * mp.sqrt(T)
        d1 = mp.log(F / K) / sq + sq / 2
        d2 = d1 - sq
        dr = mp.exp(-r * T)
        n1 = npdf(d1)
        price = dr * th * (F * ncdf(th * d1) - K * ncdf(th * d2))
        out = {
            "price": price,
            "delta": th * dr * ncdf(th * d1),
            "gamma": dr * n1 / (F * sq),
            "vega": dr * F * n1 * mp.sqrt(T),
            "theta": r * price - dr * F * n1 * sig / (2 * mp.sqrt(T)),
            "rho": -T * price,
        }
        return out


def rel_disagreement(a, b):
    if a == b:
        return mpf(0)
    return abs(a - b) / max(abs(a), abs(b))


# ----------------------------------------------------------------------------------------------
# Input generation (sequential, seeded; every input is a Python float = IEEE double)
# ----------------------------------------------------------------------------------------------

def logu(rng, a, b):
    return math.exp(rng.uniform(math.log(a), math.log(b)))


def draw_T(rng):
    u = rng.random()
    if u < 0.04:
        return HOUR
    if u < 0.06:
        return 10.0
    return logu(rng, HOUR, 10.0)


def draw_sigma(rng, lo=0.01, hi=5.0):
    u = rng.random()
    if u < 0.03:
        return lo
    if u < 0.05:
        return hi
    return logu(rng, lo, hi)


def draw_r(rng):
    return 0.0 if rng.random() < 0.15 else rng.uniform(-0.02, 0.15)


def draw_q(rng):
    return 0.0 if rng.random() < 0.30 else rng.uniform(-0.05, 0.1)


def draw_type(rng):
    return "call" if rng.random() < 0.5 else "put"


def clip(v, lo, hi):
    return min(hi, max(lo, v))


def draw_log_moneyness(rng, s, group):
    """ln(K/F) for a given total vol s = sigma sqrt(T)."""
    if group == "random":
        if rng.random() < 0.5:
            lo, hi = max(-4.0, -25.0 * s), min(4.0, 25.0 * s)
            return rng.uniform(lo, hi)
        return clip(s * rng.gauss(0.0, 1.2), -4.0, 4.0)
    if group == "nearAtm":
        return s * rng.uniform(-0.05, 0.05)
    raise ValueError(group)


def draw_tail_geometry(rng, dlo, dhi):
    """(T, sigma, k>0) with k/s in [dlo, dhi] and k <= 4, s = sigma sqrt T."""
    while True:
        T = draw_T(rng)
        D = rng.uniform(dlo, dhi)
        smax = min(5.0 * math.sqrt(T), 4.0 / D)
        smin = 0.01 * math.sqrt(T)
        if smax <= smin * 1.01:
            continue
        sig = logu(rng, 0.01, smax / math.sqrt(T))
        s = sig * math.sqrt(T)
        k = s * D
        if k <= 4.0:
            return T, sig, k


def gen_bs_cases(rng):
    cases = []

    def add(tag, S, K, T, r, q, sig, typ):
        cases.append({"tag": tag, "inputs": {"spot": S, "strike": K, "expiry": T, "rate": r, "carry": q,
                                             "vol": sig, "type": typ}})

    textbook = [
        ("textbook:hull", 42.0, 40.0, 0.5, 0.1, 0.0, 0.2),
        ("textbook:haug-bs", 60.0, 65.0, 0.25, 0.08, 0.0, 0.3),
        ("textbook:haug-gbsm", 75.0, 70.0, 0.5, 0.1, 0.05, 0.35),
        ("textbook:pyvollib-bs", 100.0, 90.0, 0.5, 0.01, 0.0, 0.2),
        ("textbook:pyvollib-bsm", 100.0, 100.0, 0.5, 0.01, 0.0, 0.2),
        ("textbook:pvv-quickstart", 95.0, 100.0, 0.2, 0.2, 0.0, 0.2),
    ]
    for tag, S, K, T, r, q, sig in textbook:
        for typ in ("call", "put"):
            add(tag, S, K, T, r, q, sig, typ)

    def spot():
        return logu(rng, 0.05, 2.0e5)

    for _ in range(262):
        S, T, sig, r, q, typ = spot(), draw_T(rng), draw_sigma(rng), draw_r(rng), draw_q(rng), draw_type(rng)
        F = S * math.exp((r - q) * T)
        k = draw_log_moneyness(rng, sig * math.sqrt(T), "random")
        add("random", S, F * math.exp(k), T, r, q, sig, typ)
    for i in range(60):
        S, T, sig, r, q, typ = spot(), draw_T(rng), draw_sigma(rng), draw_r(rng), draw_q(rng), draw_type(rng)
        F = S * math.exp((r - q) * T)
        if i % 4 == 0:
            K = F  # forward-ATM (up to the rounding of F)
        elif i % 4 == 1:
            K = S  # spot-ATM
        else:
            K = F * math.exp(draw_log_moneyness(rng, sig * math.sqrt(T), "nearAtm"))
        add("nearAtm", S, K, T, r, q, sig, typ)
    # deep OTM with a tiny but normal price (|d| ~ 20..36.5 => price down to ~1e-290)
    for _ in range(40):
        S, r, q = spot(), draw_r(rng), draw_q(rng)
        T, sig, k = draw_tail_geometry(rng, 20.0, 36.5)
        typ = draw_type(rng)
        F = S * math.exp((r - q) * T)
        add("deepOtmTiny", S, F * math.exp(k if typ == "call" else -k), T, r, q, sig, typ)
    # deep ITM: time value tiny relative to the price (Greeks like gamma/vega tiny)
    for _ in range(20):
        S, r, q = spot(), draw_r(rng), draw_q(rng)
        T, sig, k = draw_tail_geometry(rng, 8.0, 36.0)
        typ = draw_type(rng)
        F = S * math.exp((r - q) * T)
        add("deepItm", S, F * math.exp(-k if typ == "call" else k), T, r, q, sig, typ)
    # beyond double range: price subnormal or zero as a double ("normal": false)
    for _ in range(6):
        S, r, q = spot(), draw_r(rng), draw_q(rng)
        T, sig, k = draw_tail_geometry(rng, 38.6, 60.0)
        typ = draw_type(rng)
        F = S * math.exp((r - q) * T)
        add("underflow", S, F * math.exp(k if typ == "call" else -k), T, r, q, sig, typ)
    return cases


def gen_b76_cases(rng):
    cases = []

    def add(tag, F, K, T, r, sig, typ):
        cases.append({"tag": tag, "inputs": {"forward": F, "strike": K, "expiry": T, "rate": r, "vol": sig,
                                             "type": typ}})

    textbook = [
        ("textbook:haug-black76", 19.0, 19.0, 0.75, 0.1, 0.28),
        ("textbook:pyvollib-black", 100.0, 100.0, 0.5, 0.02, 0.2),
        ("textbook:pyvollib-black-greeks", 49.0, 50.0, 0.3846, 0.05, 0.2),
    ]
    for tag, F, K, T, r, sig in textbook:
        for typ in ("call", "put"):
            add(tag, F, K, T, r, sig, typ)

    def fwd():
        return logu(rng, 0.05, 2.0e5)

    for _ in range(96):
        F, T, sig, r, typ = fwd(), draw_T(rng), draw_sigma(rng), draw_r(rng), draw_type(rng)
        add("random", F, F * math.exp(draw_log_moneyness(rng, sig * math.sqrt(T), "random")), T, r, sig, typ)
    for i in range(20):
        F, T, sig, r, typ = fwd(), draw_T(rng), draw_sigma(rng), draw_r(rng), draw_type(rng)
        K = F if i % 3 == 0 else F * math.exp(draw_log_moneyness(rng, sig * math.sqrt(T), "nearAtm"))
        add("nearAtm", F, K, T, r, sig, typ)
    for _ in range(14):
        F, r = fwd(), draw_r(rng)
        T, sig, k = draw_tail_geometry(rng, 20.0, 36.5)
        typ = draw_type(rng)
        add("deepOtmTiny", F, F * math.exp(k if typ == "call" else -k), T, r, sig, typ)
    for _ in range(8):
        F, r = fwd(), draw_r(rng)
        T, sig, k = draw_tail_geometry(rng, 8.0, 36.0)
        typ = draw_type(rng)
        add("deepItm", F, F * math.exp(-k if typ == "call" else k), T, r, sig, typ)
    for _ in range(6):
        F, r = fwd(), draw_r(rng)
        T, sig, k = draw_tail_geometry(rng, 38.6, 60.0)
        typ = draw_type(rng)
        add("underflow", F, F * math.exp(k if typ == "call" else -k), T, r, sig, typ)
    return cases


DERIBIT_SNAPSHOTS = [
    # instrument, timestamp ms, expiry ms (08:00 UTC), underlying_price (forward), mark_iv (%)
    ("BTC-23FEB24-45000-C", 1707627659690, "2024-02-23", 48559.14, 45000.0, 46.17, "call"),
    ("BTC-30SEP22-60000-C", 1654161839367, "2022-09-30", 30220.5, 60000.0, 67.7, "call"),
    ("BTC-15SEP26-77000-C", 1789344931096, "2026-09-15", 76904.4, 77000.0, 31.2, "call"),
]


def gen_inverse_candidates(rng):
    """Yields (tag, inputs) candidates; the caller drops those whose coin price is < 1e-300."""
    out = []
    for inst, ts, exp_day, F, K, iv, typ in DERIBIT_SNAPSHOTS:
        exp_ms = int(datetime.datetime(*map(int, exp_day.split("-")), 8, 0, 0,
                                       tzinfo=datetime.timezone.utc).timestamp() * 1000)
        T = (exp_ms - ts) / (365.0 * 86400000.0)
        out.append(("deribit-snapshot:" + inst, {"forward": F, "strike": K, "expiry": T, "vol": iv / 100.0,
                                                 "type": typ}))
    return out


def draw_inverse(rng):
    F = round(logu(rng, 20000.0, 150000.0), 2)
    Kraw = F * logu(rng, 0.3, 3.0)
    step = 1000.0 if Kraw >= 10000.0 else 500.0
    K = max(step, round(Kraw / step) * step)
    T = logu(rng, HOUR, 2.0) if rng.random() > 0.05 else HOUR
    sig = logu(rng, 0.2, 3.0)
    return {"forward": F, "strike": K, "expiry": T, "vol": sig, "type": draw_type(rng)}


def draw_iv(rng):
    F = logu(rng, 0.05, 2.0e5)
    T, sig = draw_T(rng), draw_sigma(rng)
    s = sig * math.sqrt(T)
    if rng.random() < 0.5:
        k = rng.uniform(-4.0, 4.0)
    else:
        k = clip(s * rng.gauss(0.0, 2.0), -4.0, 4.0)
    return {"forward": F, "strike": F * math.exp(k), "expiry": T, "vol": sig, "type": draw_type(rng)}


HARD_TABLE = [
    ("ATM 1h crypto", 100.0, 100.0, 0.00011415525114155251, 0.8, 1, 0.3409939531232184, 1.6e-16),
    ("deep OTM call short", 100.0, 200.0, 0.05, 0.6, 1, 4.0935844487388344e-07, 4.4e-18),
    ("Wilmott famous (Choi et al. 2023 sec 3.3)", 1.0, 1.5, 1.0, 0.04, 1, 9.010020309242865e-27, 1.5e-18),
    ("deep OTM put", 1.0, 0.2, 0.25, 0.3, -1, 2.2661822121537395e-29, 1e-18),
    ("huge total vol s=5", 1.0, 1.0, 1.0, 5.0, 1, 0.9875806693484477, 1.3e-15),
    ("near upper bound s=6.32", 1.0, 1.0, 10.0, 2.0, 1, 0.9984345977419975, 6.5e-15),
    ("deep ITM call, time value 1.2e-13 (ill-posed)", 100.0, 50.0, 0.1, 0.3, 1, 50.00000000000012, 0.001),
    ("BTC 2d 10% OTM call", 60000.0, 66000.0, 0.005479452054794521, 0.5, 1, 3.6888653753340668, 1.3e-17),
    ("BTC 2d 20% OTM put", 60000.0, 48000.0, 0.005479452054794521, 0.9, -1, 0.37650568074977075, 1.1e-17),
]


def theta_of(typ):
    return 1 if typ == "call" else -1


# ----------------------------------------------------------------------------------------------
# Evaluators (run in worker processes; pure functions of their inputs)
# ----------------------------------------------------------------------------------------------

# Outputs that are mathematically identical for a call and a put with the same inputs (put-call parity: the
# difference S e^{-qT} - K e^{-rT} is linear in S and does not depend on sigma) are taken from the price
# function of the out-of-the-money type ("otm"), whose derivatives are not tiny relative to the price; the
# others from the case's own type ("own"). theta is type-independent only when r = q = 0 (black76: r = 0).
BS_SPEC = [  # (name, sign, orders over (S, K, T, r, q, sigma), which)
    ("price", 1, (0, 0, 0, 0, 0, 0), "own"),
    ("delta", 1, (1, 0, 0, 0, 0, 0), "own"),
    ("gamma", 1, (2, 0, 0, 0, 0, 0), "otm"),
    ("vega", 1, (0, 0, 0, 0, 0, 1), "otm"),
    ("theta", -1, (0, 0, 1, 0, 0, 0), "own"),
    ("rho", 1, (0, 0, 0, 1, 0, 0), "own"),
    ("dividendRho", 1, (0, 0, 0, 0, 1, 0), "own"),
    ("vanna", 1, (1, 0, 0, 0, 0, 1), "otm"),
    ("volga", 1, (0, 0, 0, 0, 0, 2), "otm"),
]

B76_SPEC = [  # orders over (F, K, T, r, sigma)
    ("price", 1, (0, 0, 0, 0, 0), "own"),
    ("delta", 1, (1, 0, 0, 0, 0), "own"),
    ("gamma", 1, (2, 0, 0, 0, 0), "otm"),
    ("vega", 1, (0, 0, 0, 0, 1), "otm"),
    ("theta", -1, (0, 0, 1, 0, 0), "own"),
    ("rho", 1, (0, 0, 0, 1, 0), "own"),
]


def with_theta_otm(spec):
    return [(n, sg, o, "otm" if n == "theta" else w) for n, sg, o, w in spec]


def eval_bs(case):
    i = case["inputs"]
    th = theta_of(i["type"])
    x = [mpf(i["spot"]), mpf(i["strike"]), mpf(i["expiry"]), mpf(i["rate"]), mpf(i["carry"]), mpf(i["vol"])]
    S, K, T, r, q, sig = x
    fwd = S * mp.exp((r - q) * T)
    th_otm = 1 if K >= fwd else -1

    def f_own(S, K, T, r, q, sig):
        return bs_price(S, K, T, r, q, sig, th)

    def f_otm(S, K, T, r, q, sig):
        return bs_price(S, K, T, r, q, sig, th_otm)

    spec = with_theta_otm(BS_SPEC) if (r == 0 and q == 0) else BS_SPEC
    res = outputs_with_kappa({"own": f_own, "otm": f_otm}, x, spec)
    cf = bs_closed(*x, th)
    dis = max(rel_disagreement(res[n][0], cf[n]) for n, _, _, _ in BS_SPEC)
    out = {"tag": case["tag"], "inputs": i,
           "info": {"lnKOverF": to_double(mp.log(K / fwd)), "totalVol": to_double(sig * mp.sqrt(T))},
           "outputs": {n: rec(*res[n]) for n, _, _, _ in BS_SPEC}}
    return out, to_double(dis)


def eval_b76(case):
    i = case["inputs"]
    th = theta_of(i["type"])
    x = [mpf(i["forward"]), mpf(i["strike"]), mpf(i["expiry"]), mpf(i["rate"]), mpf(i["vol"])]
    F, K, T, r, sig = x
    th_otm = 1 if K >= F else -1

    def f_own(F, K, T, r, sig):
        return black76_price(F, K, T, r, sig, th)

    def f_otm(F, K, T, r, sig):
        return black76_price(F, K, T, r, sig, th_otm)

    spec = with_theta_otm(B76_SPEC) if r == 0 else B76_SPEC
    res = outputs_with_kappa({"own": f_own, "otm": f_otm}, x, spec)
    cf = b76_closed(*x, th)
    dis = max(rel_disagreement(res[n][0], cf[n]) for n, _, _, _ in B76_SPEC)
    out = {"tag": case["tag"], "inputs": i,
           "info": {"lnKOverF": to_double(mp.log(K / F)), "totalVol": to_double(sig * mp.sqrt(T))},
           "outputs": {n: rec(*res[n]) for n, _, _, _ in B76_SPEC}}
    return out, to_double(dis)


def eval_inverse(case):
    i = case["inputs"]
    th = theta_of(i["type"])
    x = [mpf(i["forward"]), mpf(i["strike"]), mpf(i["expiry"]), mpf(i["vol"])]

    def f(F, K, T, sig):
        return inverse_price_coin(F, K, T, sig, th)

    res = outputs_with_kappa({"own": f}, x, [("priceCoin", 1, (0, 0, 0, 0), "own")])
    F, K, T, sig = x
    out = {"tag": case["tag"], "inputs": i,
           "info": {"lnKOverF": to_double(mp.log(K / F)), "totalVol": to_double(sig * mp.sqrt(T))},
           "outputs": {"priceCoin": rec(*res["priceCoin"])}}
    return out, None


def implied_vol_for_double_price(P, F, K, T, th, sig0):
    """Exact (to > 50 digits) vol with black_undiscounted(F,K,T,vol) == P (P an exact double)."""
    with mp.workdps(90):
        Pm = mpf(P)
        logP = mp.log(Pm)

        def g(s):
            return mp.log(black_undiscounted(F, K, T, s, th)) - logP
        s0 = mpf(sig0)
        root = mp.findroot(g, (s0, s0 * (1 + mpf(2) ** -40)), tol=mpf(10) ** -85)
        resid = black_undiscounted(F, K, T, root, th) / Pm - 1
        if abs(resid) > mpf(10) ** -70:
            raise RuntimeError("implied vol residual %s" % mp.nstr(resid, 5))
        return root


def eval_iv(case):
    """Returns (record or None, skip_reason or None)."""
    i = case["inputs"]
    th = theta_of(i["type"])
    F, K, T, sig = mpf(i["forward"]), mpf(i["strike"]), mpf(i["expiry"]), mpf(i["vol"])
    price = black_undiscounted(F, K, T, sig, th)
    P = case.get("priceDouble")
    if P is None:
        P = to_double(price)
    Pm = mpf(P)
    intrinsic = max(th * (F - K), mpf(0))
    upper = F if th == 1 else K
    tv = Pm - intrinsic
    if case["tag"] == "random":
        if Pm < mpf("1e-300"):
            return None, "priceBelow1e-300"
        if tv < mpf("1e-14") * Pm:
            return None, "timeValueBelow1e-14OfPrice"
        if upper - Pm < mpf("1e-14") * Pm:
            return None, "distanceToUpperBoundBelow1e-14OfPrice"
    iv = implied_vol_for_double_price(P, F, K, T, th, i["vol"])
    with mp.workdps(30):
        vega = derivative(lambda s: black_undiscounted(F, K, T, s, th), [iv], (1,), 60)
        cond = mpf(math.ulp(P)) / (iv * vega)
    out = {"tag": case["tag"], "inputs": {"forward": i["forward"], "strike": i["strike"], "expiry": i["expiry"],
                                          "type": i["type"]},
           "volGenerating": i["vol"],
           "price": rec(price, with_kappa=False),
           "priceDouble": P,
           "impliedVol": rec(iv, with_kappa=False),
           "ivRelChangePerPriceUlp": float("%.4g" % to_double(cond)),
           "info": {"lnKOverF": to_double(mp.log(K / F)), "totalVol": to_double(sig * mp.sqrt(T)),
                    "timeValueOverPrice": to_double(tv / Pm)}}
    if "name" in case:
        out["name"] = case["name"]
        out["table"] = case["table"]
    return out, None


def eval_normal_point(task):
    kind, x = task
    xm = mpf(x)
    if kind == "x":
        c = ncdf(xm)
        p = npdf(xm)
        kc = abs(xm * p / c) if c != 0 else None
        kp = xm * xm  # |x d(phi)/dx / phi| = x^2
        return {"x": x, "cdf": rec(c, kc), "pdf": rec(p, kp)}
    if kind == "p":
        with mp.workdps(80):
            pm = mpf(x)
            if pm == mpf(0.5):
                root = mpf(0)
            else:
                tail = pm if pm < 0.5 else 1 - pm  # exact: p is a double
                lt = mp.log(tail)
                z0 = mpf(statistics.NormalDist().inv_cdf(float(tail)))  # double-precision start, < 0

                def g(z):
                    return mp.log(ncdf(z)) - lt
                z = mp.findroot(g, (z0, z0 * (1 + mpf(2) ** -30)), tol=mpf(10) ** -75)
                root = z if pm < 0.5 else -z
            phi = npdf(root)
            kap = abs(pm / (root * phi)) if root != 0 else None
            root = +root
        return {"p": x, "x": rec(root, kap)}
    if kind == "erfc":
        v = mp.erfc(xm)
        k = abs(xm * 2 / mp.sqrt(mp.pi) * mp.exp(-xm * xm) / v)
        return {"x": x, "value": rec(v, k)}
    if kind == "erfcx":
        with mp.extraprec(int(max(0, mp.mag(xm * xm))) + 20):
            v = mp.exp(xm * xm) * mp.erfc(xm)
            k = abs(xm * (2 * xm * v - 2 / mp.sqrt(mp.pi)) / v)
        return {"x": x, "value": rec(+v, k)}
    raise ValueError(kind)


def run_task(task):
    kind, payload = task
    if kind == "bs":
        return eval_bs(payload)
    if kind == "b76":
        return eval_b76(payload)
    if kind == "inv":
        return eval_inverse(payload)
    if kind == "iv":
        return eval_iv(payload)
    if kind == "normal":
        return eval_normal_point(payload)
    raise ValueError(kind)


# ----------------------------------------------------------------------------------------------
# Normal-function grids
# ----------------------------------------------------------------------------------------------

def normal_tasks(rng):
    xs = [-38.5, -37.5, -37.0, -30.0, -20.0, -10.0, -8.0, -5.0, -3.0, -2.0, -1.0, -0.5, -1e-8, -1e-300, 0.0,
          1e-300, 1e-8, 0.5, 1.0, 2.0, 3.0, 5.0, 7.0, 8.0, 8.3]
    xs += [rng.uniform(-38.5, -5.0) for _ in range(90)]
    xs += [rng.uniform(-5.0, 5.0) for _ in range(80)]
    xs += [rng.uniform(5.0, 8.3) for _ in range(15)]
    ps = [1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1e-10, 0.02425, 0.02425 * (1 - 2 ** -52), 0.1, 0.25,
          0.5 - 2 ** -54, 0.5, 0.5 + 2 ** -53, 0.4999, 0.5001, 0.75, 0.9, 0.97575, 1 - 1e-10, 1 - 1e-16,
          2.2250738585072014e-308]
    ps += [logu(rng, 1e-300, 0.02425) for _ in range(50)]
    ps += [rng.uniform(0.02425, 0.97575) for _ in range(40)]
    ps += [1.0 - logu(rng, 1e-16, 0.02425) for _ in range(30)]
    ex = [-6.0, -1.0, 0.0, 1e-300, 0.46875, 0.5, 1.0, 4.0, 10.0, 26.0, 26.5, 27.0]
    ex += [rng.uniform(-6.0, 27.0) for _ in range(50)]
    ecx = [-26.0, -10.0, -1.0, 0.0, 0.46875, 0.5, 1.0, 4.0, 26.5, 50.0, 1e3, 1e5, 1e6]
    ecx += [rng.uniform(-26.0, 0.0) for _ in range(20)]
    ecx += [rng.uniform(0.0, 6.0) for _ in range(25)]
    ecx += [logu(rng, 6.0, 1e6) for _ in range(25)]
    tasks = [("x", x) for x in xs] + [("p", p) for p in ps] + [("erfc", x) for x in ex] + \
        [("erfcx", x) for x in ecx]
    return tasks


# ----------------------------------------------------------------------------------------------
# JSON writing: pretty at the top, one case per line deeper down
# ----------------------------------------------------------------------------------------------

def dumps(obj, depth=0, compact_depth=3):
    if depth >= compact_depth or not isinstance(obj, (dict, list)) or len(obj) == 0:
        return json.dumps(obj, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    pad = " " * (depth + 1)
    end = " " * depth
    if isinstance(obj, dict):
        items = [pad + json.dumps(k) + ": " + dumps(v, depth + 1, compact_depth) for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + end + "}"
    items = [pad + dumps(v, depth + 1, compact_depth) for v in obj]
    return "[\n" + ",\n".join(items) + "\n" + end + "]"


# ----------------------------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------------------------

FIELDS = {
    "digits": "the value rounded to 40 significant decimal digits (string), from a 60-digit mpmath evaluation",
    "double": "the IEEE double nearest to the 60-digit value (round-half-even), as a JSON number; null if it overflows",
    "normal": "true iff the double is finite and |double| >= 2.2250738585072014e-308 (not subnormal, not zero)",
    "kappa": ("relative condition number of the value w.r.t. its inputs: sum over inputs p of |p * d(value)/dp| / |value| "
              "(inputs with p = 0 contribute 0; null if value = 0). Suggested test tolerance: "
              "relative error <= max(1e-12, c * 2.220446049250313e-16 * kappa)"),
    "inputs": "exact IEEE doubles; names follow the public API of DESIGN.md section 6 (carry = continuous yield q, forward = S*exp((rate-carry)*expiry))",
    "info": "informative only (doubles): lnKOverF = ln(K/F), totalVol = vol*sqrt(expiry), timeValueOverPrice",
    "tag": "how the case was drawn: textbook:<id> (the literature points of methods.md section 2.2), random, nearAtm, deepOtmTiny, deepItm, underflow, deribit-snapshot:<instrument>, hard:<n>",
}

DEFINITIONS = {
    "normal.points": "cdf = Phi(x) = erfc(-x/sqrt 2)/2, pdf = phi(x) = exp(-x^2/2)/sqrt(2 pi); kappa(cdf) = |x phi/Phi|, kappa(pdf) = x^2",
    "normal.inverseCdf": "x with Phi(x) = p for the double p (p > 0.5 solved as Phi(-x) = 1 - p, exact for a double p); kappa = |p / (x phi(x))|",
    "normal.erfc": "erfc(x); kappa = |x erfc'(x) / erfc(x)|",
    "normal.erfcx": "erfcx(x) = exp(x^2) erfc(x); kappa = |x erfcx'(x) / erfcx(x)|",
    "blackScholes": ("V = theta*[S e^{-qT} Phi(theta d1) - K e^{-rT} Phi(theta d2)], d1 = [ln(S/K) + (r - q + sigma^2/2) T]/(sigma sqrt T), "
                     "d2 = d1 - sigma sqrt T, theta = +1 call / -1 put, S = spot, K = strike, T = expiry, r = rate, q = carry, sigma = vol. "
                     "price = V; delta = dV/dS; gamma = d2V/dS2; vega = dV/dsigma; theta = dV/dt = -dV/dT (S, K, r, q, sigma fixed); "
                     "rho = dV/dr (q fixed); dividendRho = dV/dq; vanna = d2V/dS dsigma; volga = d2V/dsigma2. "
                     "All derivatives by mpmath.diff on the 60-digit price function (not closed forms). gamma, vega, vanna and volga "
                     "(and theta when r = q = 0), which put-call parity makes identical for a call and a put, are taken from "
                     "the price function of the out-of-the-money type (K >= F: call, else put) to avoid differencing a large "
                     "intrinsic part."),
    "black76": ("V = e^{-rT} theta*[F Phi(theta d1) - K Phi(theta d2)], d1,2 = ln(F/K)/(sigma sqrt T) +- sigma sqrt T/2. "
                "delta = dV/dF, gamma = d2V/dF2, vega = dV/dsigma, theta = -dV/dT (F fixed), rho = dV/dr (F fixed). By mpmath.diff; "
                "gamma and vega (and theta when r = 0) from the out-of-the-money type's price function, as for blackScholes."),
    "inverse": "priceCoin = theta*[F Phi(theta d1) - K Phi(theta d2)] / F (Deribit coin-settled option, r = 0; methods.md section 2.3)",
    "impliedVol": ("undiscounted Black B(F,K,T,sigma,theta). price = B at volGenerating (60 digits), priceDouble = its nearest double; "
                   "impliedVol = the vol with B(impliedVol) == priceDouble exactly (mpmath.findroot at 90 digits on ln B), i.e. the "
                   "answer a perfect solver should return for the double input; ivRelChangePerPriceUlp = ulp(priceDouble) / "
                   "(impliedVol * dB/dsigma), the relative IV change caused by a 1-ulp change of the price (best achievable accuracy)."),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--date", default=None)
    ap.add_argument("--out", default=OUT_PRICING)
    ap.add_argument("--out-normal", default=OUT_NORMAL)
    args = ap.parse_args()
    t0 = time.time()
    rng = random.Random(SEED)

    # ---- inputs, drawn sequentially from one seeded generator in a fixed order ----
    ntasks = normal_tasks(rng)
    bs_cases = gen_bs_cases(rng)
    b76_cases = gen_b76_cases(rng)
    inv_fixed = gen_inverse_candidates(rng)
    inv_random = [draw_inverse(rng) for _ in range(160)]  # the first 97 with priceCoin >= 1e-300 are kept
    iv_random = [draw_iv(rng) for _ in range(2000)]  # evaluated lazily until 300 are emitted

    tasks = [("normal", t) for t in ntasks] + [("bs", c) for c in bs_cases] + [("b76", c) for c in b76_cases]
    hard = []
    for n, (name, F, K, T, sig, th, P, cond) in enumerate(HARD_TABLE):
        typ = "call" if th == 1 else "put"
        hard.append({"tag": "hard:%d" % (n + 1), "name": name,
                     "inputs": {"forward": F, "strike": K, "expiry": T, "vol": sig, "type": typ},
                     "priceDouble": P, "table": {"priceDouble": P, "ivRelChangePerPriceUlp": cond}})
    tasks += [("iv", c) for c in hard]
    inv_cases = [{"tag": t, "inputs": i} for t, i in inv_fixed] + [{"tag": "random", "inputs": i} for i in inv_random]
    tasks += [("inv", c) for c in inv_cases]

    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(args.jobs) as pool:
        results = []
        for r in pool.imap(run_task, tasks, chunksize=1):
            results.append(r)
            if len(results) % 50 == 0 or len(results) == len(tasks):
                print("  %d/%d tasks, %.0f s" % (len(results), len(tasks), time.time() - t0), file=sys.stderr, flush=True)
        # implied-vol round trips: evaluate in blocks until 300 are emitted
        iv_out, skipped, considered = [], {}, 0
        pos = 0
        while len(iv_out) < 300 and pos < len(iv_random):
            block = iv_random[pos:pos + 64]
            pos += len(block)
            for cand, (r, why) in zip(block, pool.map(run_task, [("iv", {"tag": "random", "inputs": c}) for c in block],
                                                      chunksize=1)):
                if len(iv_out) >= 300:
                    break
                considered += 1
                if r is None:
                    skipped[why] = skipped.get(why, 0) + 1
                else:
                    iv_out.append(r)

    nn = len(ntasks)
    nres = results[:nn]
    k = nn
    bs_res = results[k:k + len(bs_cases)]; k += len(bs_cases)
    b76_res = results[k:k + len(b76_cases)]; k += len(b76_cases)
    hard_res = results[k:k + len(hard)]; k += len(hard)
    inv_res = results[k:]

    normal = {"points": [], "inverseCdf": [], "erfc": [], "erfcx": []}
    for (kind, _), r in zip(ntasks, nres):
        normal[{"x": "points", "p": "inverseCdf", "erfc": "erfc", "erfcx": "erfcx"}[kind]].append(r)

    max_dis = {"blackScholes": 0.0, "black76": 0.0}
    for r, d in bs_res:
        max_dis["blackScholes"] = max(max_dis["blackScholes"], d)
    for r, d in b76_res:
        max_dis["black76"] = max(max_dis["black76"], d)

    inv_keep, inv_dropped = [], 0
    for r, _ in inv_res:
        if len(inv_keep) >= 100:
            break
        if mpf(r["outputs"]["priceCoin"]["digits"]) < mpf("1e-300"):
            inv_dropped += 1
            continue
        inv_keep.append(r)

    hard_out = []
    hard_mismatch = []
    for c, (r, _) in zip(hard, hard_res):
        if r["price"]["double"] != c["priceDouble"]:
            hard_mismatch.append(c["name"])
        hard_out.append(r)

    for i, (r, _) in enumerate(bs_res):
        r["id"] = "bs-%03d" % i
    for i, (r, _) in enumerate(b76_res):
        r["id"] = "b76-%03d" % i
    for i, r in enumerate(inv_keep):
        r["id"] = "inv-%03d" % i
    for i, r in enumerate(iv_out):
        r["id"] = "iv-%03d" % i
    for i, r in enumerate(hard_out):
        r["id"] = "ivhard-%d" % (i + 1)

    def reorder(r):
        return {"id": r["id"], **{k2: v for k2, v in r.items() if k2 != "id"}}

    elapsed = time.time() - t0
    date = args.date or datetime.date.today().isoformat()
    provenance = {
        "generator": GENERATOR,
        "command": "/usr/bin/python3 " + GENERATOR,
        "python": platform.python_version(),
        "mpmath": mpmath.__version__,
        "mpmathBackend": mpmath.libmp.BACKEND,
        "workingPrecision": "mp.dps = 60 (prec %d bits); numerical derivatives by mpmath.diff with adaptive addprec; "
                            "condition numbers at %d digits" % (mp.prec, KAPPA_DPS),
        "seed": SEED,
        "rng": "Python random.Random(%d); inputs drawn sequentially in the order normal, blackScholes, black76, "
               "inverse, impliedVol" % SEED,
        "date": date,
        "conventions": {
            "time": "expiry in years (ACT/365); 1 hour = 1/8760",
            "vol": "annualised decimal",
            "rates": "continuously compounded decimals; carry = continuous yield q",
            "vega": "per 1.00 of vol (not per vol point)",
            "theta": "dV/dt per year of calendar time = -dV/dT (negative for a long option, in general)",
            "rho": "per 1.00 of rate (not per 1 %)",
            "gamma": "per unit of underlying (spot for blackScholes, forward for black76)",
            "type": "'call' (theta = +1) or 'put' (theta = -1)",
        },
        "fields": FIELDS,
        "definitions": DEFINITIONS,
        "crossCheck": {
            "what": "max over all cases and outputs of |diff - closed| / max(|diff|,|closed|) between the mpmath.diff "
                    "values and textbook closed-form Greeks evaluated at 100 digits",
            "blackScholes": float("%.3g" % max_dis["blackScholes"]),
            "black76": float("%.3g" % max_dis["black76"]),
        },
    }
    doc = {
        "provenance": provenance,
        "normal": normal,
        "blackScholes": {"count": len(bs_res), "cases": [reorder(r) for r, _ in bs_res]},
        "black76": {"count": len(b76_res), "cases": [reorder(r) for r, _ in b76_res]},
        "inverse": {"count": len(inv_keep),
                    "notes": "3 cases are the Deribit ticker snapshots of methods.md section 2.3 (T = (expiry 08:00 UTC - "
                             "timestamp)/365 days, F = underlying_price, vol = mark_iv/100); %d random candidates with "
                             "priceCoin < 1e-300 were dropped." % inv_dropped,
                    "cases": [reorder(r) for r in inv_keep]},
        "impliedVol": {
            "count": len(iv_out),
            "notes": {
                "considered": considered,
                "emitted": len(iv_out),
                "skipped": skipped,
                "skipRules": "random candidates are skipped when priceDouble < 1e-300, when priceDouble - intrinsic < "
                             "1e-14 * priceDouble (time value lost in the double price: ill-posed), or when the distance of "
                             "priceDouble to the upper bound (F for a call, K for a put) is < 1e-14 * priceDouble",
                "hardCases": "methods.md section 1.5 table; priceDouble is the table's double, impliedVol is for that double; "
                             "table.* are the table's figures. %s" % (
                                 "All nine 60-digit prices round to the table's doubles." if not hard_mismatch else
                                 "Price mismatch vs table: " + ", ".join(hard_mismatch)),
            },
            "cases": [reorder(r) for r in iv_out],
            "hardCases": [reorder(r) for r in hard_out],
        },
    }
    text = dumps(doc) + "\n"
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        fh.write(text)
    ndoc = {"provenance": {k2: provenance[k2] for k2 in ("generator", "command", "python", "mpmath", "seed", "rng", "date")},
            "note": "identical to the 'normal' section of fixtures/reference/pricing/mpmath-40.json (same run)",
            "fields": {k2: FIELDS[k2] for k2 in ("digits", "double", "normal", "kappa")},
            "definitions": {k2: v for k2, v in DEFINITIONS.items() if k2.startswith("normal.")},
            "normal": normal}
    ntext = dumps(ndoc) + "\n"
    os.makedirs(os.path.dirname(args.out_normal), exist_ok=True)
    with open(args.out_normal, "w") as fh:
        fh.write(ntext)

    summary = {
        "out": os.path.relpath(args.out, ROOT), "bytes": len(text.encode()),
        "outNormal": os.path.relpath(args.out_normal, ROOT), "bytesNormal": len(ntext.encode()),
        "normal": {k2: len(v) for k2, v in normal.items()},
        "blackScholes": len(bs_res), "black76": len(b76_res), "inverse": len(inv_keep), "inverseDropped": inv_dropped,
        "impliedVol": len(iv_out), "impliedVolHard": len(hard_out), "ivConsidered": considered, "ivSkipped": skipped,
        "hardPriceMismatch": hard_mismatch,
        "maxClosedFormDisagreement": provenance["crossCheck"],
        "nonNormalValues": sum(1 for r, _ in bs_res + b76_res for v in r["outputs"].values() if not v["normal"]),
        "seconds": round(elapsed, 1), "jobs": args.jobs,
    }
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
