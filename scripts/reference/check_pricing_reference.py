#!/usr/bin/python3
"""Sanity checks of fixtures/reference/pricing/mpmath-40.json against the literature vectors and itself.

    /usr/bin/python3 scripts/reference/check_pricing_reference.py

Prints one line per check and exits non-zero if a check fails. Uses only the standard library and mpmath.
"""
from __future__ import annotations

import json
import math
import os
import sys

from mpmath import mp, mpf

mp.dps = 60
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
P = os.path.join(ROOT, "fixtures", "reference", "pricing")
failures = []


def strict_load(path):
    def bad(c):
        raise ValueError("non-strict JSON constant %s in %s" % (c, path))
    with open(path) as fh:
        return json.load(fh, parse_constant=bad)


def check(name, ok, detail):
    print("%-4s %-60s %s" % ("ok" if ok else "FAIL", name, detail))
    if not ok:
        failures.append(name)


def rel(a, b):
    return abs(a - b) / abs(b)


ref = strict_load(os.path.join(P, "mpmath-40.json"))
lit = strict_load(os.path.join(P, "literature.json"))

# 1. every value: digits and double consistent, normal flag consistent ---------------------------
nvals = mism = badflag = 0


def visit(v):
    global nvals, mism, badflag
    if isinstance(v, dict):
        if "digits" in v and "double" in v:
            nvals += 1
            d = v["double"]
            if d is None or float(v["digits"]) != d:
                mism += 1
            normal = d is not None and math.isfinite(d) and abs(d) >= 2.2250738585072014e-308
            if normal != v["normal"]:
                badflag += 1
        for x in v.values():
            visit(x)
    elif isinstance(v, list):
        for x in v:
            visit(x)


visit({k: v for k, v in ref.items() if k != "provenance"})
check("digits->double round trip", mism == 0, "%d values, %d mismatches" % (nvals, mism))
check("normal flag", badflag == 0, "%d wrong" % badflag)

# 2. textbook points vs literature ----------------------------------------------------------------
bs = {(c["tag"], c["inputs"]["type"]): c for c in ref["blackScholes"]["cases"] if c["tag"].startswith("textbook")}
b76 = {(c["tag"], c["inputs"]["type"]): c for c in ref["black76"]["cases"] if c["tag"].startswith("textbook")}
lit_map = {
    "hull_bs": ("textbook:hull", bs), "haug_bs": ("textbook:haug-bs", bs), "haug_gbsm_put": ("textbook:haug-gbsm", bs),
    "pyvollib_bs": ("textbook:pyvollib-bs", bs), "pyvollib_bsm": ("textbook:pyvollib-bsm", bs),
    "pvv_quickstart": ("textbook:pvv-quickstart", bs), "haug_black76": ("textbook:haug-black76", b76),
    "pyvollib_black_disc": ("textbook:pyvollib-black", b76),
}
worst = 0.0
for e in lit["black_scholes"]:
    if e["id"] not in lit_map:
        continue
    tag, table = lit_map[e["id"]]
    for typ in ("call", "put"):
        if typ in e:
            got = table[(tag, typ)]["outputs"]["price"]["double"]
            r = rel(got, e[typ])
            worst = max(worst, r)
            # literature values carry 11..15 significant digits
            check("literature %s %s" % (e["id"], typ), r < 5e-11, "ref %.16g lit %.16g rel %.1e" % (got, e[typ], r))

# 3. py_vollib Black-76 greeks (per vol point, per calendar day, per 1 %) --------------------------
g = lit["black76_greeks_pyvollib"]
for typ in ("call", "put"):
    out = b76[("textbook:pyvollib-black-greeks", typ)]["outputs"]
    conv = {"delta": out["delta"]["double"], "gamma": out["gamma"]["double"], "vega": out["vega"]["double"] / 100,
            "theta": out["theta"]["double"] / 365, "rho": out["rho"]["double"] / 100}
    for k, v in g[typ].items():
        check("py_vollib black76 %s %s" % (typ, k), abs(conv[k] - v) <= 1e-6 * max(1, abs(v)),
              "ref %.12g lit %.12g" % (conv[k], v))

# 4. put-call parity on all Black-Scholes pairs with the same inputs (at 60 digits) -----------------
pairs = {}
for c in ref["blackScholes"]["cases"]:
    i = c["inputs"]
    key = (i["spot"], i["strike"], i["expiry"], i["rate"], i["carry"], i["vol"])
    pairs.setdefault(key, {})[i["type"]] = c
worst_pcp = mpf(0)
npairs = 0
for (S, K, T, r, q, sig), d in pairs.items():
    if "call" in d and "put" in d:
        npairs += 1
        S, K, T, r, q = map(mpf, (S, K, T, r, q))
        fwd = S * mp.exp(-q * T) - K * mp.exp(-r * T)
        diff = mpf(d["call"]["outputs"]["price"]["digits"]) - mpf(d["put"]["outputs"]["price"]["digits"])
        worst_pcp = max(worst_pcp, abs(diff - fwd) / max(abs(fwd), mpf(d["call"]["outputs"]["price"]["digits"])))
check("put-call parity (BS pairs)", worst_pcp < mpf(10) ** -38, "%d pairs, max rel %s" % (npairs, mp.nstr(worst_pcp, 3)))

# 5. implied-vol cases: B(impliedVol) reproduces priceDouble -------------------------------------


def black(F, K, T, s, th):
    F, K, T, s = map(mpf, (F, K, T, s))
    st = s * mp.sqrt(T)
    d1 = mp.log(F / K) / st + st / 2
    with mp.extraprec(400):
        return th * (F * mp.ncdf(th * d1) - K * mp.ncdf(th * (d1 - st)))


worst_iv = mpf(0)
for c in ref["impliedVol"]["cases"] + ref["impliedVol"]["hardCases"]:
    i = c["inputs"]
    th = 1 if i["type"] == "call" else -1
    b = black(i["forward"], i["strike"], i["expiry"], mpf(c["impliedVol"]["digits"]), th)
    p = mpf(c["priceDouble"])
    # elasticity vol*vega/price = (ulp/price) / ivRelChangePerPriceUlp; a 40-digit vol (relative error <= 5e-40)
    # reproduces the price to about 5e-40 * elasticity
    elasticity = (mpf(math.ulp(c["priceDouble"])) / p) / mpf(c["ivRelChangePerPriceUlp"])
    worst_iv = max(worst_iv, abs(b / p - 1) / elasticity)
check("IV round trip B(iv) = priceDouble", worst_iv < mpf(10) ** -38, "max |B(iv)/price - 1| / elasticity = %s" % mp.nstr(worst_iv, 3))
hard_ok = all(c["price"]["double"] == c["table"]["priceDouble"] for c in ref["impliedVol"]["hardCases"])
check("hard cases: 60-digit price rounds to table double", hard_ok, "%d cases" % len(ref["impliedVol"]["hardCases"]))
cond_ok = all(abs(c["ivRelChangePerPriceUlp"] / c["table"]["ivRelChangePerPriceUlp"] - 1) < 0.06
              for c in ref["impliedVol"]["hardCases"])
check("hard cases: IV conditioning matches table (2 digits)", cond_ok, "")

# 6. inverse: Deribit snapshots vs methods.md section 2.3 recomputed Black/F ------------------------
for c in ref["inverse"]["cases"]:
    if c["tag"].startswith("deribit-snapshot:"):
        inst = c["tag"].split(":", 1)[1]
        snap = [s for s in lit["deribit_snapshots"]["cases"] if s["instrument"] == inst][0]
        got = c["outputs"]["priceCoin"]["double"]
        check("deribit %s Black/F" % inst, abs(got - snap["recomputed"]["black_over_F"]) < 5e-7,
              "ref %.8f methods %.6f mark %.4f" % (got, snap["recomputed"]["black_over_F"], snap["mark_price"]))

# 6b. kappa of the price recomputed from the reported Greeks (Euler: K dV/dK = V - S dV/dS) -----------
worst_k = 0.0
for c in ref["blackScholes"]["cases"]:
    i, o = c["inputs"], c["outputs"]
    if not o["price"]["normal"]:
        continue
    V, dl = mpf(o["price"]["digits"]), mpf(o["delta"]["digits"])
    S = mpf(i["spot"])
    k = (abs(S * dl) + abs(V - S * dl) + abs(mpf(i["expiry"]) * mpf(o["theta"]["digits"]))
         + abs(mpf(i["rate"]) * mpf(o["rho"]["digits"])) + abs(mpf(i["carry"]) * mpf(o["dividendRho"]["digits"]))
         + abs(mpf(i["vol"]) * mpf(o["vega"]["digits"]))) / abs(V)
    worst_k = max(worst_k, abs(float(k) / o["price"]["kappa"] - 1))
for c in ref["black76"]["cases"]:
    i, o = c["inputs"], c["outputs"]
    if not o["price"]["normal"]:
        continue
    V, dl = mpf(o["price"]["digits"]), mpf(o["delta"]["digits"])
    F = mpf(i["forward"])
    k = (abs(F * dl) + abs(V - F * dl) + abs(mpf(i["expiry"]) * mpf(o["theta"]["digits"]))
         + abs(mpf(i["rate"]) * mpf(o["rho"]["digits"])) + abs(mpf(i["vol"]) * mpf(o["vega"]["digits"]))) / abs(V)
    worst_k = max(worst_k, abs(float(k) / o["price"]["kappa"] - 1))
check("price kappa vs Greeks (BS and Black-76)", worst_k < 1e-5, "max rel %.2e (kappa is stored with 6 digits)" % worst_k)

# 7. LBR TestValues: stored black prices vs mpmath ------------------------------------------------
with open(os.path.join(ROOT, "fixtures", "reference", "lbr", "TestValues.json")) as fh:
    lbr = json.load(fh)  # contains bare NaN (Python accepts it)
worst_lbr = mpf(0)
n = 0
with mp.workdps(40):
    for i, o in zip(lbr["input"], lbr["output"]):
        if i["T"] == 0:
            continue
        n += 1
        b = black(i["F"], i["K"], i["T"], i["sigma"], i["q"])
        worst_lbr = max(worst_lbr, abs(mpf(o["black"]) / b - 1))
check("LBR TestValues black vs mpmath", worst_lbr < mpf("1e-13"), "%d cases, max rel %s" % (n, mp.nstr(worst_lbr, 3)))

print("\n%d failures" % len(failures))
sys.exit(1 if failures else 0)
