#!/usr/bin/python3
"""Generate fixtures/reference/risk/stress_grid_reference.json: independent high-precision reference values for
src/risk/revaluation (the public stressGrid of DESIGN.md §6 and the instrument x scenario revaluation).

* Standard library + mpmath only, mp.dps = 50. Inputs are exact doubles; every formula is evaluated in mpmath from
  its textbook definition (Black-Scholes with carry via the normal CDF mpmath.ncdf, raw SVI total variance, the
  documented vol-shift rules), not from the TypeScript code's numerics (normalised Black, erfcx, log1p tricks).
* Values are written as the correctly rounded double of the 50-digit result, with a 25-digit string beside it.

Sections
--------
grids: stressGrid cases. Each leg is a Black-Scholes option with carry (spot, rate, carry); base vol flat or read
  from the underlying's raw-SVI smiles at k = ln(K / F(T)) with the VolSurface rules (total variance linear in T at
  fixed k between slices, w_1(k) T/T_1 before the first and w_N(k) T/T_N after the last slice; ln F linear in T between
  slices and towards ln(spot) at T = 0 before the first). Cell (i, j): spot (1 + spotShifts[i]), vol
  max(vol0 + volShifts[j], 0); pnl = sum q (price_ij - price_0).
revaluations: instrument x scenario P&L per unit quantity in USD and in the settlement asset for a book of Deribit
  instruments (inverse options, futures, perpetuals, a USDC-settled linear option, spot BTC/USDC/USD) under a small
  scenario set with parallel, relative and term-scaled vol rules, time steps (one past an expiry) and a USDC depeg,
  for flat vols and single-slice SVI smiles, sticky strike and sticky moneyness. Formulas: the module comment of
  src/risk/revaluation/priceRows.ts (restated in compute_revaluation below).

Regenerate from the repository root (about 10 s):

    /usr/bin/python3 scripts/reference/make_stress_grid_reference.py
"""
from __future__ import annotations

import datetime
import json
import os

import mpmath
from mpmath import mp, mpf

mp.dps = 50
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "reference", "risk", "stress_grid_reference.json")
MS_PER_YEAR = 365 * 86400000


def dbl(x) -> float:
    return float(mpmath.mpf(x))


def s25(x) -> str:
    return mpmath.nstr(mpf(x), 25)


# ---------------------------------------------------------------- pricing (textbook formulas)
def black_undiscounted(F, K, T, sigma, call: bool):
    F, K, T, sigma = mpf(F), mpf(K), mpf(T), mpf(sigma)
    theta = 1 if call else -1
    if T <= 0 or sigma <= 0:
        return max(theta * (F - K), mpf(0))
    s = sigma * mpmath.sqrt(T)
    d1 = mpmath.log(F / K) / s + s / 2
    d2 = d1 - s
    return theta * (F * mpmath.ncdf(theta * d1) - K * mpmath.ncdf(theta * d2))


def bs_price(S, K, T, r, q, sigma, call: bool):
    S, K, T, r, q = mpf(S), mpf(K), mpf(T), mpf(r), mpf(q)
    F = S * mpmath.exp((r - q) * T)
    return mpmath.exp(-r * T) * black_undiscounted(F, K, T, sigma, call)


def svi_w(p, k):
    k = mpf(k)
    x = k - mpf(p["m"])
    return mpf(p["a"]) + mpf(p["b"]) * (mpf(p["rho"]) * x + mpmath.sqrt(x * x + mpf(p["sigma"]) ** 2))


class Surface:
    """The VolSurface rules for raw SVI slices without kRange (wings within Lee's bound: b(1 + |rho|) <= 2)."""

    def __init__(self, slices, spot):
        self.slices = sorted(slices, key=lambda s: s["expiry"])
        self.spot = spot
        for s in self.slices:
            p = s["params"]
            assert p["b"] * (1 + abs(p["rho"])) <= 2, "reference surfaces keep SVI wings within Lee's bound"

    def forward(self, T):
        T = mpf(T)
        ts = [mpf(s["expiry"]) for s in self.slices]
        lf = [mpmath.log(mpf(s["forward"])) for s in self.slices]
        if T <= ts[0]:
            if T == ts[0] or self.spot is None:
                return mpf(self.slices[0]["forward"])
            ls = mpmath.log(mpf(self.spot))
            return mpmath.exp(ls + (lf[0] - ls) * (T / ts[0]))
        if len(ts) == 1:
            return mpf(self.slices[0]["forward"])
        i = next((j for j in range(len(ts)) if ts[j] > T), len(ts) - 1)
        if i == 0:
            i = 1
        u = (T - ts[i - 1]) / (ts[i] - ts[i - 1])
        return mpmath.exp(lf[i - 1] + u * (lf[i] - lf[i - 1]))

    def total_variance(self, T, k):
        T = mpf(T)
        ts = [mpf(s["expiry"]) for s in self.slices]
        ws = [svi_w(s["params"], k) for s in self.slices]
        if T <= ts[0]:
            return ws[0] * T / ts[0]
        if T >= ts[-1]:
            return ws[-1] * T / ts[-1]
        i = next(j for j in range(len(ts)) if ts[j] > T)
        return ws[i - 1] + (T - ts[i - 1]) / (ts[i] - ts[i - 1]) * (ws[i] - ws[i - 1])

    def vol(self, T, k):
        return mpmath.sqrt(max(self.total_variance(T, k), mpf(0)) / mpf(T))


# ---------------------------------------------------------------- stressGrid
def compute_grid(case):
    und = case["underlyings"]
    smiles = {}
    for name, u in und.items():
        smiles[name] = mpf(u["vol"]) if not isinstance(u["vol"], dict) else Surface(u["vol"]["svi"], u["spot"])
    legs = []
    for p in case["positions"]:
        u = und[p["underlying"]]
        sm = smiles[p["underlying"]]
        if isinstance(sm, Surface):
            vol0 = mpf(0) if p["expiry"] == 0 else sm.vol(p["expiry"], mpmath.log(mpf(p["strike"]) / sm.forward(p["expiry"])))
        else:
            vol0 = sm
        legs.append((u, p, vol0))
    base = [bs_price(u["spot"], p["strike"], p["expiry"], u["rate"], u.get("carry", 0), v, p["type"] == "call") for u, p, v in legs]
    base_value = sum(mpf(p["quantity"]) * b for (u, p, v), b in zip(legs, base))
    pnl = []
    for ds in case["spotShifts"]:
        row = []
        for dv in case["volShifts"]:
            cell = mpf(0)
            for (u, p, v), b in zip(legs, base):
                vol = max(v + mpf(dv), mpf(0))
                price = bs_price(mpf(u["spot"]) * (1 + mpf(ds)), p["strike"], p["expiry"], u["rate"], u.get("carry", 0), vol, p["type"] == "call")
                cell += mpf(p["quantity"]) * (price - b)
            row.append(cell)
        pnl.append(row)
    worst = min(((pnl[i][j], i, j) for i in range(len(pnl)) for j in range(len(pnl[0]))), key=lambda t: (t[0], t[1], t[2]))
    return {
        "id": case["id"],
        "input": case,
        "vol0": [dbl(v) for _, _, v in legs],
        "expected": {
            "baseValue": dbl(base_value),
            "baseValue25": s25(base_value),
            "pnl": [[dbl(x) for x in row] for row in pnl],
            "worst": {"spotShift": case["spotShifts"][worst[1]], "volShift": case["volShifts"][worst[2]], "pnl": dbl(worst[0])},
        },
    }


BTC_SVI = [
    {"expiry": 0.05, "forward": 73300.0, "params": {"a": 0.0045, "b": 0.045, "rho": -0.35, "m": 0.01, "sigma": 0.08}},
    {"expiry": 0.25, "forward": 74500.0, "params": {"a": 0.022, "b": 0.11, "rho": -0.3, "m": 0.02, "sigma": 0.15}},
    {"expiry": 0.75, "forward": 76500.0, "params": {"a": 0.07, "b": 0.2, "rho": -0.25, "m": 0.03, "sigma": 0.25}},
]
ETH_SVI = [
    {"expiry": 0.08, "forward": 2160.0, "params": {"a": 0.012, "b": 0.07, "rho": -0.2, "m": 0.0, "sigma": 0.1}},
    {"expiry": 0.4, "forward": 2190.0, "params": {"a": 0.06, "b": 0.18, "rho": -0.15, "m": 0.01, "sigma": 0.2}},
]
SPOT_SHIFTS = [-0.5, -0.3, -0.16, -0.08, 0.0, 0.08, 0.16, 0.3, 1.0]

GRIDS = [
    {
        "id": "btc-flat-vol-option-book",
        "underlyings": {"BTC": {"spot": 73067.62, "rate": 0.04, "carry": 0.01, "vol": 0.55}},
        "positions": [
            {"underlying": "BTC", "type": "call", "strike": 85000, "expiry": 0.1, "quantity": -2},
            {"underlying": "BTC", "type": "put", "strike": 62000, "expiry": 0.1, "quantity": -2},
            {"underlying": "BTC", "type": "call", "strike": 73000, "expiry": 0.5, "quantity": 1.5},
            {"underlying": "BTC", "type": "put", "strike": 70000, "expiry": 0.25, "quantity": 3},
            {"underlying": "BTC", "type": "put", "strike": 60000, "expiry": 0.25, "quantity": -3},
            {"underlying": "BTC", "type": "call", "strike": 70000, "expiry": 0, "quantity": 0.7},
            {"underlying": "BTC", "type": "call", "strike": 85000, "expiry": 0.1, "quantity": 0.5},
        ],
        "spotShifts": SPOT_SHIFTS,
        "volShifts": [-0.3, -0.1, 0.0, 0.1, 0.3],
    },
    {
        "id": "low-vol-floor",
        "underlyings": {"SPX": {"spot": 100.0, "rate": 0.03, "vol": 0.12}},
        "positions": [
            {"underlying": "SPX", "type": "put", "strike": 95, "expiry": 0.5, "quantity": -10},
            {"underlying": "SPX", "type": "call", "strike": 100, "expiry": 1.0, "quantity": 4},
        ],
        "spotShifts": [-0.2, 0.0, 0.2],
        "volShifts": [-0.2, -0.12, 0.0, 0.05],
    },
    {
        "id": "btc-eth-svi-smiles",
        "underlyings": {
            "BTC": {"spot": 73067.62, "rate": 0.0, "vol": {"svi": BTC_SVI}},
            "ETH": {"spot": 2150.3, "rate": 0.02, "carry": 0.005, "vol": {"svi": ETH_SVI}},
        },
        "positions": [
            {"underlying": "BTC", "type": "call", "strike": 80000, "expiry": 0.05, "quantity": -3},
            {"underlying": "BTC", "type": "put", "strike": 66000, "expiry": 0.05, "quantity": -3},
            {"underlying": "BTC", "type": "put", "strike": 72000, "expiry": 0.25, "quantity": 2},
            {"underlying": "BTC", "type": "call", "strike": 90000, "expiry": 0.75, "quantity": 1},
            {"underlying": "BTC", "type": "call", "strike": 75000, "expiry": 0.15, "quantity": -1.2},
            {"underlying": "BTC", "type": "put", "strike": 50000, "expiry": 0.5, "quantity": 4},
            {"underlying": "BTC", "type": "call", "strike": 74000, "expiry": 0.02, "quantity": 0.8},
            {"underlying": "BTC", "type": "put", "strike": 70000, "expiry": 1.2, "quantity": -0.5},
            {"underlying": "ETH", "type": "put", "strike": 1900, "expiry": 0.08, "quantity": -40},
            {"underlying": "ETH", "type": "call", "strike": 2500, "expiry": 0.4, "quantity": -25},
            {"underlying": "ETH", "type": "call", "strike": 2200, "expiry": 0.2, "quantity": 30},
        ],
        "spotShifts": SPOT_SHIFTS,
        "volShifts": [-0.25, -0.1, 0.0, 0.15, 0.5],
    },
]


# ---------------------------------------------------------------- revaluation
def iso_ms(text):
    d = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int(round(d.timestamp() * 1000))


AS_OF = iso_ms("2026-02-04T21:33:08.476Z")
MONTHS = {m: i + 1 for i, m in enumerate("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split())}


def expiry_ms(code):
    day, mon, yy = int(code[:-5]), MONTHS[code[-5:-2]], 2000 + int(code[-2:])
    return int(datetime.datetime(yy, mon, day, 8, tzinfo=datetime.timezone.utc).timestamp() * 1000)


def instrument(name):
    """Hand-written attributes of the names used below (checked against the TypeScript resolver by the test)."""
    parts = name.split("-")
    asset, _, quote = parts[0].partition("_")
    if len(parts) == 1:
        return {"name": name, "kind": "spot", "underlying": asset, "settlementAsset": None if asset == "USD" else asset}
    if parts[1] == "PERPETUAL":
        return {"name": name, "kind": "perpetual", "underlying": asset, "settlementAsset": quote or asset, "inverse": quote == ""}
    ms = expiry_ms(parts[1])
    base = {"name": name, "underlying": asset, "expiryTimestampMs": ms, "expiry": (ms - AS_OF) / MS_PER_YEAR,
            "settlementAsset": quote or asset, "inverse": quote == ""}
    if len(parts) == 2:
        return {**base, "kind": "future"}
    return {**base, "kind": "option", "strike": float(parts[2]), "call": parts[3] == "C"}


NAMES = [
    "BTC-27FEB26-80000-C", "BTC-27FEB26-65000-P", "BTC-27FEB26-73000-C", "BTC-27MAR26-73000-C", "BTC-27MAR26-56000-P",
    "BTC-26JUN26-100000-C", "BTC-27MAR26", "BTC-27FEB26", "BTC-PERPETUAL", "BTC", "ETH-27MAR26-2200-P",
    "ETH-27MAR26-2600-C", "ETH-PERPETUAL", "ETH-26JUN26", "ETH", "BTC_USDC-27MAR26-75000-C", "BTC_USDC-PERPETUAL",
    "USDC", "USD",
]

MARKET_FLAT = {
    "BTC": {"spot": 73067.62, "rate": 0.03, "perpetual": 73083.0, "vol": 0.52,
            "forwards": [{"expiryTimestampMs": expiry_ms("27FEB26"), "forward": 73420.5},
                         {"expiryTimestampMs": expiry_ms("27MAR26"), "forward": 73905.25},
                         {"expiryTimestampMs": expiry_ms("26JUN26"), "forward": 75118.0}]},
    "ETH": {"spot": 2150.3, "rate": 0.02, "carry": 0.005, "perpetual": 2151.1, "vol": 0.71,
            "forwards": [{"expiryTimestampMs": expiry_ms("27MAR26"), "forward": 2171.4}]},
}
# single-slice SVI smiles (vol at any T0 is sqrt(w_1(k) / T_1): total variance scales with T at fixed k)
SVI_BTC_1 = {"expiry": 0.1, "forward": 73500.0, "params": {"a": 0.018, "b": 0.09, "rho": -0.3, "m": 0.02, "sigma": 0.12}}
SVI_ETH_1 = {"expiry": 0.12, "forward": 2160.0, "params": {"a": 0.04, "b": 0.12, "rho": -0.2, "m": 0.0, "sigma": 0.15}}

UP = {"kind": "term-scaled", "shift": 0.5, "power": 0.3, "longTermPower": 0.13, "referenceDays": 30, "floorDays": 1, "minBaseVol": 0.5}
DOWN = {"kind": "term-scaled", "shift": -0.25, "power": 0.3, "longTermPower": 0.13, "referenceDays": 30, "floorDays": 1}
NONE = {"kind": "parallel", "shift": 0}
SCENARIOS = {
    "underlyings": ["BTC", "ETH", "USDC"],
    "scenarios": [
        {"id": "zero", "spotReturns": [0, 0, 0], "volShifts": [NONE, NONE, NONE], "timeStepDays": 0},
        {"id": "crash-vol-up", "spotReturns": [-0.16, -0.2, 0], "volShifts": [{"kind": "parallel", "shift": 0.1}, {"kind": "relative", "factor": 1.3}, NONE], "timeStepDays": 0},
        {"id": "rally-venue-up", "spotReturns": [0.5, 0.5, 0], "volShifts": [UP, UP, NONE], "timeStepDays": 0},
        {"id": "depeg-venue-down", "spotReturns": [-0.1, -0.12, -0.05], "volShifts": [DOWN, DOWN, NONE], "timeStepDays": 0},
        {"id": "two-days", "spotReturns": [0.05, 0.03, 0], "volShifts": [{"kind": "parallel", "shift": -0.05}, {"kind": "parallel", "shift": -0.05}, NONE], "timeStepDays": 2},
        {"id": "past-feb-expiry", "spotReturns": [-0.3, -0.25, 0], "volShifts": [UP, NONE, NONE], "timeStepDays": 25},
    ],
}


def apply_rule(rule, vol, expiry):
    vol = mpf(vol)
    k = rule["kind"]
    if k == "parallel":
        out = vol + mpf(rule["shift"])
    elif k == "relative":
        out = vol * mpf(rule["factor"])
    else:
        dte = mpf(expiry) * 365
        p = rule["power"] if dte <= rule["referenceDays"] else rule.get("longTermPower", rule["power"])
        base = max(vol, mpf(rule.get("minBaseVol", 0))) if rule["shift"] > 0 else vol
        out = vol + base * mpf(rule["shift"]) * (mpf(rule["referenceDays"]) / max(dte, mpf(rule["floorDays"]))) ** mpf(p)
    return max(out, mpf(0))


def compute_revaluation(case_id, market, svi, stickiness):
    """Per instrument and scenario (priceRows.ts, plan.ts): F0 the quoted forward of the expiry, else the smile's F(T0),
    else S0 e^{(r - q) T0}; T' = max(T0 - dt, 0); F' = F0 (1 + r) exp(-c min(dt, T0)) with
    c = ln(F0/S0)/T0; perpetual P0 (1 + r); sticky-strike vol applyRule(vol(T0, ln K/F0), T'), sticky-moneyness
    applyRule(vol(T0, ln K/F'), T'); inverse option V = Black(F', K, T', vol)/F'; linear option e^{-rate T'} Black;
    inverse future/perp V = 1 - F0/F'; linear F' - F0; spot V = 1; X' = X0 (1 + r_x);
    pnlUsd = V' X' - V0 X0, pnlSettlement = V' - V0."""
    und = SCENARIOS["underlyings"]
    stable = {"USDC": 1.0, "USDT": 1.0}

    def spot_of(asset):
        return mpf(market[asset]["spot"]) if asset in market else mpf(stable[asset])

    def ret(sc, asset):
        return mpf(sc["spotReturns"][und.index(asset)]) if asset in und else mpf(0)

    def rule_of(sc, asset):
        return sc["volShifts"][und.index(asset)] if asset in und else NONE

    rows = []
    for name in NAMES:
        ins = instrument(name)
        a = ins["underlying"]
        m = market.get(a, {})
        x_asset = ins["settlementAsset"]
        S0 = spot_of(a) if a != "USD" else mpf(1)
        X0 = spot_of(x_asset) if x_asset is not None else mpf(1)
        usd, settle = [], []
        surface = Surface([svi[a]], m["spot"]) if svi is not None and a in svi else None
        if ins["kind"] in ("option", "future"):
            # forward: the quoted one of the expiry, else the surface's F(T0), else S e^{(r - q) T}
            T0 = mpf(ins["expiry"])
            fw = [f["forward"] for f in m.get("forwards", []) if f["expiryTimestampMs"] == ins["expiryTimestampMs"]]
            if fw:
                F0 = mpf(fw[0])
            elif surface is not None:
                F0 = surface.forward(T0)
            else:
                F0 = S0 * mpmath.exp((mpf(m.get("rate", 0)) - mpf(m.get("carry", 0))) * T0)
            c = mpmath.log(F0 / S0) / T0

        def vol_at(T0, k):
            return surface.vol(T0, k) if surface is not None else mpf(m["vol"])

        if ins["kind"] == "option":
            K = mpf(ins["strike"])
            vol0 = vol_at(T0, mpmath.log(K / F0))
            rate = mpf(m.get("rate", 0))

            def value(F, T, vol):
                if ins["inverse"]:
                    return black_undiscounted(F, K, T, vol, ins["call"]) / F
                return mpmath.exp(-rate * T) * black_undiscounted(F, K, T, vol, ins["call"])

            V0 = value(F0, T0, vol0)
        elif ins["kind"] == "spot":
            V0 = mpf(1)
        else:
            V0 = mpf(0)
        for sc in SCENARIOS["scenarios"]:
            r = ret(sc, a)
            rx = ret(sc, x_asset) if x_asset is not None else mpf(0)
            dt = mpf(sc["timeStepDays"]) / 365
            X = X0 * (1 + rx)
            if ins["kind"] == "option":
                Tp = max(T0 - dt, mpf(0))
                Fp = F0 * (1 + r) * mpmath.exp(-c * min(dt, T0))
                base_vol = vol0 if stickiness == "sticky-strike" else vol_at(T0, mpmath.log(K / Fp))
                V = value(Fp, Tp, apply_rule(rule_of(sc, a), base_vol, Tp))
            elif ins["kind"] == "future":
                Fp = F0 * (1 + r) * mpmath.exp(-c * min(dt, T0))
                V = 1 - F0 / Fp if ins["inverse"] else Fp - F0
            elif ins["kind"] == "perpetual":
                P0 = mpf(m.get("perpetual", m["spot"]))
                Pp = P0 * (1 + r)
                V = 1 - P0 / Pp if ins["inverse"] else Pp - P0
            else:
                V = mpf(1)
            usd.append(V * X - V0 * X0)
            settle.append(V - V0)
        rows.append({"instrument": ins, "pnlUsd": [dbl(v) for v in usd], "pnlSettlement": [dbl(v) for v in settle],
                     "baseValueSettlement": dbl(V0), "pnlUsd25": [s25(v) for v in usd]})
    return {"id": case_id, "stickiness": stickiness, "smiles": svi, "rows": rows}


def main():
    grids = [compute_grid(c) for c in GRIDS]
    svi = {"BTC": SVI_BTC_1, "ETH": SVI_ETH_1}
    revaluations = [
        compute_revaluation("flat-vols-sticky-strike", MARKET_FLAT, None, "sticky-strike"),
        compute_revaluation("svi-sticky-strike", MARKET_FLAT, svi, "sticky-strike"),
        compute_revaluation("svi-sticky-moneyness", MARKET_FLAT, svi, "sticky-moneyness"),
    ]
    doc = {
        "_source": "scripts/reference/make_stress_grid_reference.py (mpmath %s, mp.dps = 50); see fixtures/reference/risk/SOURCE.md" % mpmath.__version__,
        "asOfMs": AS_OF,
        "grids": grids,
        "revaluation": {"market": MARKET_FLAT, "scenarios": SCENARIOS, "cases": revaluations},
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(grids)} grids, {len(revaluations)} revaluation cases x {len(NAMES)} instruments x {len(SCENARIOS['scenarios'])} scenarios")


if __name__ == "__main__":
    main()
