#!/usr/bin/python3
"""Evaluation traces of scipy.optimize.minimize(method='Nelder-Mead') for test/math/optim/nelderMead.test.ts.

    /usr/bin/python3 scripts/reference/make_nelder_mead_reference.py

Writes fixtures/reference/optim/nelder_mead_scipy.json: for each case, every point scipy evaluated (in
order) with its value, and scipy's result (x, fun, nit, nfev).

Why the traces can be compared exactly: scipy's Nelder-Mead (adaptive=False) uses the same coefficients
(1, 2, 1/2, 1/2) and the same acceptance rules (Lagarias et al. 1998) as src/math/optim/nelderMead.ts, and
re-sorts the vertices each iteration with np.argsort starting from the previous order (insertion sort
for so few vertices, hence stable: the 'previous-order' tie-break). It rounds differently (centroid as a
sum divided by N, shrink as s0 + 1/2 (s_j - s0)), so every case is built so that no vertex operation
rounds: dyadic starting simplex, and the script checks that every evaluated point (hence every vertex)
lies on the grid 2^-46 with |x_j| < 2^3 (two dimensions); then every intermediate of the centroid,
2c - w, 3c - 2w, 1.5c - 0.5w, 0.5c + 0.5w, c + t (p - c) and the shrink lies on the grid 2^-48 and needs
at most 53 significant bits (the largest, 3c - 2w, is below 2^6 on the grid 2^-47): exact in binary64,
whichever of the algebraically equal forms is used. The objectives use only + - * abs floor in a fixed order, so JavaScript evaluates them to
the same bits. The 'plateau' and 'staircase' cases are integer-valued: ties between vertices happen at
most iterations, which exercises the tie rules (expansion only when strictly better, outside contraction
accepted when not worse, inside contraction only when strictly better than the worst, stable order).
"""
from __future__ import annotations

import json
import math
import os
import sys

import numpy as np
import scipy
from scipy.optimize import minimize

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "fixtures", "reference", "optim", "nelder_mead_scipy.json")


def quadratic(x):
    u = float(x[0]) - 0.75
    v = float(x[1]) + 0.5
    return u * u + 3.0 * (v * v) + u * v


def plateau(x):
    return math.floor(4.0 * abs(float(x[0]) - 0.3)) + math.floor(2.0 * abs(float(x[1]) + 0.6))


def chebyshev(x):
    # piecewise linear, minimum 0 at (0.25, -0.5); equal values along the level squares
    return max(abs(float(x[0]) - 0.25), abs(float(x[1]) + 0.5))


def staircase(x):
    # integer-valued levels of the Chebyshev distance to (0.3, -0.6): ties at most iterations
    return math.floor(4.0 * max(abs(float(x[0]) - 0.3), abs(float(x[1]) + 0.6)))


CASES = [
    # name, function, x0, steps, xatol, fatol
    ("quadratic", quadratic, [0.0, 0.0], [1.0, 1.0], 2.0 ** -10, 2.0 ** -16),
    ("plateau", plateau, [2.0, 1.0], [1.0, -1.0], 2.0 ** -10, 0.0),
    ("chebyshev", chebyshev, [-2.0, 1.0], [0.5, 0.5], 2.0 ** -10, 2.0 ** -10),
    ("staircase", staircase, [-2.0, 1.0], [0.5, 0.5], 2.0 ** -10, 2.0 ** -10),
]

GRID = 2.0 ** 46
LIMIT = 2.0 ** 3


def on_grid(v):
    s = v * GRID
    return abs(v) < LIMIT and s == math.floor(s)


def run(name, fn, x0, steps, xatol, fatol):
    trace = []

    def f(x):
        x = np.array(x, dtype=float)
        for v in x:
            if not on_grid(float(v)):
                sys.exit("%s: point %r leaves the exact grid; change the case" % (name, x.tolist()))
        y = fn(x)
        trace.append({"x": [float(v) for v in x], "f": float(y)})
        return y

    n = len(x0)
    simplex = [list(x0)]
    for i in range(n):
        p = list(x0)
        p[i] += steps[i]
        simplex.append(p)
    res = minimize(
        f,
        np.array(x0, dtype=float),
        method="Nelder-Mead",
        options={"initial_simplex": np.array(simplex), "xatol": xatol, "fatol": fatol, "maxiter": 100000, "maxfev": 100000, "adaptive": False},
    )
    if not res.success:
        sys.exit("%s: scipy did not converge: %s" % (name, res.message))
    return {
        "name": name,
        "x0": list(x0),
        "step": list(steps),
        "xatol": xatol,
        "fatol": fatol,
        "trace": trace,
        "result": {"x": [float(v) for v in res.x], "fun": float(res.fun), "nit": int(res.nit), "nfev": int(res.nfev)},
    }


def main():
    cases = [run(*c) for c in CASES]
    doc = {
        "_source": "scripts/reference/make_nelder_mead_reference.py",
        "_generator": "scipy %s, numpy %s, Python %s" % (scipy.__version__, np.__version__, sys.version.split()[0]),
        "_note": "scipy.optimize.minimize(method='Nelder-Mead', adaptive=False) with initial_simplex = x0 + step_i e_i; "
        "scipy's nit counts from 1 (nit = transformations + 1); trace = every evaluation in order",
        "cases": cases,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1, allow_nan=False)
        fh.write("\n")
    for c in cases:
        print("%-16s nfev %4d nit %4d fun %r x %r" % (c["name"], c["result"]["nfev"], c["result"]["nit"], c["result"]["fun"], c["result"]["x"]))


if __name__ == "__main__":
    main()
