#!/usr/bin/python3
"""Generate fixtures/reference/margin/deribit_pm_reference.json.

An independent reference for the Deribit-compatible portfolio margin of Aftershock
(src/risk/margin/deribitPm): risk vectors and margin components of hand-built books, computed from the documented
formulas (reference/margin-methods.md §1 and the module comments of src/risk/margin/deribitPm) with mpmath at
50 digits. Nothing here imports or mirrors the TypeScript code: Black prices come from mpmath's ncdf, the grid is
rebuilt from the parameters, deltas are the closed forms of methods.md §2.3 (net delta for inverse options).

Formulas (per instrument, quantity q in coin, settlement-currency P&L):
  standard move m_k = price_range * k / B, k = -B..B, each with vol up / unchanged / down;
  vol up   = s + max(s, min_volatility_for_shock_up) * volatility_range_up * (30 / max(DTE, 1))^p,
  vol down = max(0, s - s * volatility_range_down * (30 / max(DTE, 1))^p),   p = short power if DTE <= 30 else long;
  inverse perp/future: q m / (1 + m);   inverse option: q [Black(F(1+m), sigma')/(F(1+m)) - Black(F, sigma)/F];
  linear perp/future: q F m;           linear option: q [Black(F(1+m), sigma') - Black(F, sigma)];
  extended move m (vol up) scaled by extended_table_factor * (price_range/|m|) * (1+m)/(1+sign(m) price_range);
  aggregated: extended entries dampened towards 0 by
     (max(|m|/price_range, 1) - 1) * extended_dampener / (1 + sign(m) price_range) / settlement_usd (never past 0),
  then every gain g -> min(pnl_offset g, max_offsetable_pnl / settlement_usd);
  worst_case = max(0, -min(aggregated));
  roll shock = sum_expiry max(min_annualised_move, exp(annualised_move_risk T) - 1) |net delta| (+ perps at
     min_annualised_move), times index / settlement_usd;
  delta shock: D2 = linear + short options delta, D1 = long options delta, D = clamp(D1 + D2) towards 0 within
     [0, D2] (or [D2, 0]); s = min(max_delta_shock, m_inc * max(0, |D| - threshold / index)); |D| s index / settlement_usd;
  risk matrix margin = worst + delta shock + roll shock (+ correlation contingency, 0 with one underlying);
  MM = mm_factor * RMM; IM = RMM + additional margins.

Regenerate (from the repository root):   /usr/bin/python3 scripts/reference/make_deribit_pm_reference.py
Deterministic: no clock, no randomness; the output depends only on this file and models/margin/deribit-pm/1.0.0.json.
"""
from __future__ import annotations

import calendar
import json
import os

from mpmath import mp, mpf, ncdf, exp, expm1, log, sqrt

mp.dps = 50

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PARAMS_FILE = os.path.join(ROOT, "models", "margin", "deribit-pm", "1.0.0.json")
OUT = os.path.join(ROOT, "fixtures", "reference", "margin", "deribit_pm_reference.json")
MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
YEAR_MS = mpf(365 * 86400000)


def d(x) -> mpf:
    """A decimal parameter as the decimal it was written as (not its double)."""
    return mpf(repr(x)) if isinstance(x, float) else mpf(x)


def utc_ms(y, mo, day, h=0, mi=0) -> int:
    return calendar.timegm((y, mo, day, h, mi, 0)) * 1000


def parse(name: str):
    """Deribit name -> dict(kind, underlying, settlement, expiry_ms, strike, type)."""
    base, *rest = name.split("-")
    coin, _, quote = base.partition("_")
    inst = {"underlying": coin, "settlement": quote or coin, "inverse": quote == ""}
    if rest == ["PERPETUAL"]:
        return {**inst, "kind": "perpetual"}
    code = rest[0]
    day, mon, yy = int(code[:-5]), MONTHS[code[-5:-2]], 2000 + int(code[-2:])
    inst["expiry_ms"] = utc_ms(yy, mon, day, 8)
    if len(rest) == 1:
        return {**inst, "kind": "future"}
    return {**inst, "kind": "option", "strike": mpf(rest[1].replace("d", ".")), "type": "call" if rest[2] == "C" else "put"}


def black(F, K, s, T, call):
    """Undiscounted Black-76 price."""
    sd = s * sqrt(T)
    if sd == 0:
        return max(F - K, 0) if call else max(K - F, 0)
    d1 = (log(F / K) + sd * sd / 2) / sd
    d2 = d1 - sd
    return F * ncdf(d1) - K * ncdf(d2) if call else K * ncdf(-d2) - F * ncdf(-d1)


def black_delta(F, K, s, T, call):
    sd = s * sqrt(T)
    d1 = (log(F / K) + sd * sd / 2) / sd
    return ncdf(d1) if call else ncdf(d1) - 1


def shocked_vol(s, T, pair, up, ref_days, floor_days):
    dte = T * 365
    p = d(pair["short_term_vega_power"]) if dte <= ref_days else d(pair["long_term_vega_power"])
    factor = (mpf(ref_days) / max(dte, mpf(floor_days))) ** p
    if up:
        return s + max(s, d(pair["min_volatility_for_shock_up"])) * d(pair["volatility_range_up"]) * factor
    return max(mpf(0), s - s * d(pair["volatility_range_down"]) * factor)


def leg_pnl(leg, m, vol_kind, pair, P):
    q = leg["q"]
    if leg["kind"] != "option":
        return q * m / (1 + m) if leg["inverse"] else q * leg["F"] * m
    s0, T, F, K, call = leg["vol"], leg["T"], leg["F"], leg["K"], leg["call"]
    s1 = s0 if vol_kind == "same" else shocked_vol(s0, T, pair, vol_kind == "up", P["vega_reference_days"], P["vega_dte_floor_days"])
    F1 = F * (1 + m)
    if leg["inverse"]:
        return q * (black(F1, K, s1, T, call) / F1 - black(F, K, s0, T, call) / F)
    return q * (black(F1, K, s1, T, call) - black(F, K, s0, T, call))


def implied_vol_from_price(leg, price):
    """Bisection on the inverse (or linear) price: used only for marks given as prices."""
    lo, hi = mpf("1e-6"), mpf(5)
    for _ in range(200):
        mid = (lo + hi) / 2
        v = black(leg["F"], leg["K"], mid, leg["T"], leg["call"])
        v = v / leg["F"] if leg["inverse"] else v
        lo, hi = (mid, hi) if v < price else (lo, mid)
    return (lo + hi) / 2


def margin(book, P):
    ccy = book["currency"].upper()
    stable = ccy in ("USDC", "USDT", "USD")
    cp = P["currency"][ccy.lower()] if ccy.lower() in P["currency"] else P["currency"]["usd"]
    index_of = (lambda u: d(book["indexPrice"])) if not isinstance(book["indexPrice"], dict) else (lambda u: d(book["indexPrice"][u]))
    settle = mpf(1) if stable else index_of(ccy)
    now = book["asOfMs"]
    B = P["general"]["buckets_count"]
    legs = []
    for pos in book["positions"]:
        inst = parse(pos["instrument"])
        mark = book.get("marks", {}).get(pos["instrument"], {})
        idx = index_of(inst["underlying"])
        leg = {"name": pos["instrument"], "q": d(pos["quantity"]), "kind": inst["kind"], "inverse": inst["inverse"], "underlying": inst["underlying"]}
        leg["T"] = (mpf(inst["expiry_ms"]) - now) / YEAR_MS if "expiry_ms" in inst else mpf(0)
        leg["expiry_ms"] = inst.get("expiry_ms")
        if inst["kind"] != "option":
            leg["F"] = idx if inst["inverse"] else d(mark.get("markPrice", mark.get("forward", book["indexPrice"])))
            leg["delta_unit"] = mpf(1)
        else:
            leg["F"] = d(mark["forward"]) if "forward" in mark else idx
            leg["K"], leg["call"] = inst["strike"], inst["type"] == "call"
            leg["vol"] = d(mark["iv"]) if "iv" in mark else implied_vol_from_price(leg, d(mark["markPrice"]))
            bd = black_delta(leg["F"], leg["K"], leg["vol"], leg["T"], leg["call"])
            leg["delta_unit"] = bd - black(leg["F"], leg["K"], leg["vol"], leg["T"], leg["call"]) / leg["F"] if inst["inverse"] else bd
        legs.append(leg)
    out = {"vectors": {}, "keys": {}}
    total = {"worstCase": mpf(0), "deltaShock": mpf(0), "rollShock": mpf(0)}
    for u in sorted({l["underlying"] for l in legs}):
        pair = P["currency_pair"][f"{u.lower()}_usd"]
        pr = d(pair["price_range"])
        idx = index_of(u)
        std = [(pr * k / B, v) for k in range(-B, B + 1) for v in ("up", "same", "down")]
        ext = [d(m) for m in P["extended_moves"]]
        w = [d(pair["extended_table_factor"]) * (pr / abs(m)) * (1 + m) / (1 + (1 if m > 0 else -1) * pr) for m in ext]
        group = [l for l in legs if l["underlying"] == u]
        pre_s, pre_e = [mpf(0)] * len(std), [mpf(0)] * len(ext)
        for leg in group:
            vs = [leg_pnl(leg, m, v, pair, P) for m, v in std]
            ve = [leg_pnl(leg, m, "up", pair, P) * w[i] for i, m in enumerate(ext)]
            out["vectors"][leg["name"]] = {"standard": [float(x) for x in vs], "extended": [float(x) for x in ve]}
            pre_s = [a + b for a, b in zip(pre_s, vs)]
            pre_e = [a + b for a, b in zip(pre_e, ve)]
        cap = d(cp["max_offsetable_pnl"]) / settle

        def offset(x):
            return min(x * d(cp["pnl_offset"]), cap) if x > 0 else x

        agg_s = [offset(x) for x in pre_s]
        agg_e = []
        for i, x in enumerate(pre_e):
            m = ext[i]
            damp = (max(abs(m) / pr, 1) - 1) * d(cp["extended_dampener"]) / (1 + (1 if m > 0 else -1) * pr) / settle
            y = max(x - damp, 0) if x > 0 else (min(x + damp, 0) if x < 0 else mpf(0))
            agg_e.append(offset(y))
        worst = max(mpf(0), -min(agg_s + agg_e))
        # shocks
        d_long = sum((l["q"] * l["delta_unit"] for l in group if l["kind"] == "option" and l["q"] > 0), mpf(0))
        d_rest = sum((l["q"] * l["delta_unit"] for l in group if not (l["kind"] == "option" and l["q"] > 0)), mpf(0))
        both = d_long + d_rest
        D = min(max(both, 0), d_rest) if d_rest >= 0 else max(min(both, 0), d_rest)
        s = min(d(pair["max_delta_shock"]), d(pair["m_inc"]) * max(mpf(0), abs(D) - d(pair["delta_total_liq_shock_threshold"]) / idx))
        delta_shock = abs(D) * s * idx / settle
        terms = []
        perps = [l for l in group if l["kind"] == "perpetual"]
        if perps:
            nd = sum((l["q"] * l["delta_unit"] for l in perps), mpf(0))
            terms.append({"expiry": "perpetual", "netDelta": nd, "move": d(cp["min_annualised_move"])})
        for e in sorted({l["expiry_ms"] for l in group if l["kind"] != "perpetual"}):
            ls = [l for l in group if l["expiry_ms"] == e]
            nd = sum((l["q"] * l["delta_unit"] for l in ls), mpf(0))
            mv = max(d(cp["min_annualised_move"]), expm1(d(cp["annualised_move_risk"]) * ls[0]["T"]))
            terms.append({"expiry_ms": e, "netDelta": nd, "move": mv})
        roll = sum((t["move"] * abs(t["netDelta"]) * idx / settle for t in terms), mpf(0))
        key = f"{u.lower()}_{ccy.lower()}"
        out["keys"][key] = {
            "preAggregated": {"standard": [float(x) for x in pre_s], "extended": [float(x) for x in pre_e]},
            "aggregated": {"standard": [float(x) for x in agg_s], "extended": [float(x) for x in agg_e]},
            "worstCase": float(worst), "netDelta": float(both), "deltaForShock": float(D), "deltaShockMove": float(s),
            "deltaShock": float(delta_shock), "rollShock": float(roll),
            "rollTerms": [{"netDelta": float(t["netDelta"]), "move": float(t["move"])} for t in terms],
        }
        total["worstCase"] += worst
        total["deltaShock"] += delta_shock
        total["rollShock"] += roll
    extra = book.get("additionalMargins", {})
    rmm = total["worstCase"] + total["deltaShock"] + total["rollShock"]
    out.update({k: float(v) for k, v in total.items()})
    out["correlationContingency"] = 0.0
    out["riskMatrixMargin"] = float(rmm)
    out["maintenanceMargin"] = float(d(P["general"]["mm_factor"]) * rmm)
    out["initialMargin"] = float(rmm + sum((d(v) for v in extra.values()), mpf(0)))
    out["settlementPriceUsd"] = float(settle)
    return out


AS_OF = "2026-02-05T12:00:00Z"
AS_OF_MS = utc_ms(2026, 2, 5, 12)

BOOKS = [
    {
        "id": "perp-and-future",
        "description": "long inverse perpetual, short inverse future (coin P&L q m/(1+m)); roll shock of both",
        "currency": "BTC", "indexPrice": 70000.0,
        "positions": [{"instrument": "BTC-PERPETUAL", "quantity": 2.5}, {"instrument": "BTC-27MAR26", "quantity": -1.2}],
        "marks": {"BTC-27MAR26": {"markPrice": 70350.0}},
    },
    {
        "id": "options-mixed",
        "description": "short OTM call, long put, short put one day before expiry (DTE floor), long-dated call below the 50 % vol floor, an option marked by price only (iv implied), and a perpetual hedge",
        "currency": "BTC", "indexPrice": 70000.0,
        "positions": [
            {"instrument": "BTC-27FEB26-90000-C", "quantity": -3},
            {"instrument": "BTC-27MAR26-60000-P", "quantity": 2},
            {"instrument": "BTC-6FEB26-70000-P", "quantity": -5},
            {"instrument": "BTC-25SEP26-100000-C", "quantity": 1},
            {"instrument": "BTC-27MAR26-75000-C", "quantity": -1.5},
            {"instrument": "BTC-PERPETUAL", "quantity": 0.8},
        ],
        "marks": {
            "BTC-27FEB26-90000-C": {"forward": 70210.0, "iv": 0.55},
            "BTC-27MAR26-60000-P": {"forward": 70420.5, "iv": 0.62},
            "BTC-6FEB26-70000-P": {"forward": 70015.0, "iv": 0.8},
            "BTC-25SEP26-100000-C": {"forward": 71800.0, "iv": 0.45},
            "BTC-27MAR26-75000-C": {"forward": 70420.5, "priceFromIv": 0.58},
        },
    },
    {
        "id": "short-puts-dampened",
        "description": "100 short far-OTM puts: the -66 % extended scenario dominates and the dampener binds partly",
        "currency": "BTC", "indexPrice": 70000.0,
        "positions": [{"instrument": "BTC-27MAR26-40000-P", "quantity": -100}],
        "marks": {"BTC-27MAR26-40000-P": {"forward": 70420.5, "iv": 0.9}},
    },
    {
        "id": "delta-shock",
        "description": "1 500 BTC long perpetual (beyond the 20 M USD threshold), long calls that may only reduce the shocked delta, a long-dated short future whose roll move exceeds the floor",
        "currency": "BTC", "indexPrice": 70000.0,
        "positions": [
            {"instrument": "BTC-PERPETUAL", "quantity": 1500},
            {"instrument": "BTC-25DEC26", "quantity": -400},
            {"instrument": "BTC-27MAR26-80000-C", "quantity": 300},
        ],
        "marks": {"BTC-25DEC26": {"markPrice": 73500.0}, "BTC-27MAR26-80000-C": {"forward": 70420.5, "iv": 0.6}},
        "additionalMargins": {"mmpMargin": 0.5, "openOrdersMargin": 0.01},
    },
    {
        "id": "eth-pnl-offset",
        "description": "ETH book under the ETH block (pnl_offset 0.6): long perpetual, short call, long put",
        "currency": "ETH", "indexPrice": 2100.0,
        "positions": [
            {"instrument": "ETH-PERPETUAL", "quantity": 10},
            {"instrument": "ETH-27MAR26-2500-C", "quantity": -20},
            {"instrument": "ETH-27MAR26-1500-P", "quantity": 15},
        ],
        "marks": {"ETH-27MAR26-2500-C": {"forward": 2112.0, "iv": 0.7}, "ETH-27MAR26-1500-P": {"forward": 2112.0, "iv": 0.78}},
    },
    {
        "id": "usdc-linear",
        "description": "USDC-settled linear perpetual and linear option (results in USDC, taken as USD), usd block",
        "currency": "USDC", "indexPrice": {"BTC": 70000.0},
        "positions": [{"instrument": "BTC_USDC-PERPETUAL", "quantity": 0.5}, {"instrument": "BTC_USDC-27MAR26-80000-C", "quantity": -2}],
        "marks": {"BTC_USDC-PERPETUAL": {"markPrice": 70012.5}, "BTC_USDC-27MAR26-80000-C": {"forward": 70420.5, "iv": 0.6}},
    },
]


def main():
    with open(PARAMS_FILE) as f:
        P = json.load(f)
    books = []
    for b in BOOKS:
        b = json.loads(json.dumps(b))
        b["asOf"], b["asOfMs"] = AS_OF, AS_OF_MS
        # marks given as a vol to turn into a price: the TS side must imply the vol back
        for name, mark in b["marks"].items():
            if "priceFromIv" in mark:
                inst = parse(name)
                T = (mpf(inst["expiry_ms"]) - AS_OF_MS) / YEAR_MS
                F = d(mark["forward"])
                v = black(F, inst["strike"], d(mark.pop("priceFromIv")), T, inst["type"] == "call")
                mark["markPrice"] = float(v / F if inst["inverse"] else v)
        b["expected"] = margin(b, P)
        books.append(b)
    doc = {
        "generator": "scripts/reference/make_deribit_pm_reference.py",
        "params": "models/margin/deribit-pm/1.0.0.json",
        "precision": "mpmath mp.dps = 50; values are the correctly rounded doubles",
        "books": books,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"wrote {OUT}: {len(books)} books")


if __name__ == "__main__":
    main()
