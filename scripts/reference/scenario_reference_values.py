#!/usr/bin/python3
"""Independent reference values for test/scenarios (printed, then pasted into the tests with this file named).

Computed with mpmath at 30 digits from the formulas as written in reference/margin-methods.md §1 and
reference/methods.md §5.3, not from the TypeScript code:
- venue vol shock: sigma_up = sigma + max(sigma, min_vol_up) * R_up * (30 / max(DTE, floor))^p,
  sigma_down = sigma - sigma * R_down * (30 / max(DTE, floor))^p, p = 0.3 for DTE <= 30 else 0.13, floor 1 day,
  R_up 0.5, R_down 0.25, min_volatility_for_shock_up 0.5 (models/scenarios/deribit-grid/1.0.0.json);
- extended-table scaling factor * (price_range / |m|) * (1 + m) / (1 + sign(m) * price_range), price_range 0.16;
- Deribit's published inverse-perpetual vector check: q * m / (1 + m) for q = 0.314538364 BTC.
Run: /usr/bin/python3 scripts/reference/scenario_reference_values.py
"""
from mpmath import mp, mpf

mp.dps = 30
R_UP, R_DOWN, P_S, P_L, FLOOR, MINV, PR = mpf('0.5'), mpf('0.25'), mpf('0.3'), mpf('0.13'), mpf(1), mpf('0.5'), mpf('0.16')


def factor(dte):
    p = P_S if dte <= 30 else P_L
    return (mpf(30) / max(mpf(dte), FLOOR)) ** p


print('term factor and shocked vols (sigma = 0.6 and sigma = 0.3):')
for dte in ['0.25', '1', '7', '30', '180']:
    f = factor(mpf(dte))
    for s in [mpf('0.6'), mpf('0.3')]:
        up = s + max(s, MINV) * R_UP * f
        down = s - s * R_DOWN * f
        print(f"  dte {dte:>5} sigma {s}: factor {mp.nstr(f, 17)} up {mp.nstr(up, 17)} down {mp.nstr(down, 17)}")

print('extended scaling (price_range 0.16, factor 1):')
for m in ['-0.66', '-0.33', '0.5', '1', '2', '3', '4', '5']:
    m = mpf(m)
    sgn = 1 if m > 0 else -1
    print(f"  m {mp.nstr(m, 3):>5}: {mp.nstr(PR / abs(m) * (1 + m) / (1 + sgn * PR), 17)}")

q = mpf('0.314538364')
print('inverse perp P&L q m/(1+m), q = 0.314538364:')
for k in range(-4, 5):
    m = PR * k / 4
    print(f"  k {k:>2}: {mp.nstr(q * m / (1 + m), 17)}")
