#!/usr/bin/python3
"""Reference values for src/correlation, written to fixtures/reference/correlation/correlation_reference.json.

    /usr/bin/python3 scripts/reference/make_correlation_reference.py

Needs numpy, scipy and scikit-learn (Debian: python3-numpy python3-scipy python3-sklearn). Inputs:
  - fixtures/reference/correlation/shrinkage_fixtures.json and literature.json (copies of the project's
    published vectors, see SOURCE.md), used as data and cross-checked here against sklearn / the numpy ports;
  - fixtures/reference/correlation/garch_series.json (made by scripts/reference/make_garch_series.ts with the
    project's seeded generator), fitted here with scipy.optimize.
Synthetic inputs generated here come from numpy.random.default_rng(seed) and are stored in the output, so the
TypeScript tests never need Python. Algorithms: scripts/reference/correlation_numpy.py (independent dense
numpy implementations) and sklearn.covariance (ledoit_wolf, oas). The Python package `arch` is not available
on this machine, so GARCH(1,1) references maximise the Gaussian likelihood directly with scipy.optimize
(SLSQP with bounds and the alpha + beta < 1 constraint, from several starts, then a Nelder-Mead polish).
"""
import json
import os
import sys

import numpy as np
import scipy
import sklearn
from scipy import optimize
from sklearn.covariance import ledoit_wolf, oas

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import correlation_numpy as cn  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
FIX = os.path.join(ROOT, "fixtures", "reference", "correlation")


def load(name):
    with open(os.path.join(FIX, name)) as f:
        return json.load(f)


def tolist(a):
    return np.asarray(a, float).tolist()


def check(cond, msg):
    if not cond:
        raise SystemExit("reference check failed: " + msg)


shrink = load("shrinkage_fixtures.json")
lit = load("literature.json")
out = {
    "_source": "scripts/reference/make_correlation_reference.py",
    "_versions": {"python": sys.version.split()[0], "numpy": np.__version__, "scipy": scipy.__version__, "sklearn": sklearn.__version__},
}

# ---------------------------------------------------------------- a synthetic returns panel (300 x 5)
rng = np.random.default_rng(20260205)
p = 5
corr = np.array([[1, .7, .5, .3, .1], [.7, 1, .6, .4, .2], [.5, .6, 1, .5, .3], [.3, .4, .5, 1, .4], [.1, .2, .3, .4, 1]])
vols = np.array([0.02, 0.03, 0.045, 0.05, 0.01])
chol = np.linalg.cholesky(corr)
z = rng.standard_normal((300, p)) @ chol.T
tdf = 4
scale = np.sqrt(rng.chisquare(tdf, (300, 1)) / tdf)  # multivariate t(4): fat tails, shared shocks
panel = z / scale * vols * np.sqrt((tdf - 2) / tdf) + 0.0005
out["panel"] = {"description": "numpy default_rng(20260205): multivariate t(4) with correlation C and vols v, plus 0.0005 drift", "returns": tolist(panel)}

# ---------------------------------------------------------------- sample covariance / correlation
out["sample"] = {"covariance": tolist(np.cov(panel, rowvar=False, ddof=1)), "correlation": tolist(np.corrcoef(panel, rowvar=False))}
gappy = panel[:40].copy()
gaps = [(3, 0), (3, 2), (10, 1), (17, 4), (25, 0), (31, 3)]
for (t, j) in gaps:
    gappy[t, j] = np.nan
pw_cov = np.zeros((p, p))
pw_corr = np.zeros((p, p))
for i in range(p):
    for j in range(p):
        m = ~np.isnan(gappy[:, i]) & ~np.isnan(gappy[:, j])
        c = np.cov(gappy[m][:, [i, j]], rowvar=False, ddof=1)
        pw_cov[i, j] = c[0, 1]
        pw_corr[i, j] = c[0, 1] / np.sqrt(c[0, 0] * c[1, 1])
complete = gappy[~np.isnan(gappy).any(axis=1)]
out["sample_gaps"] = {
    "gaps": gaps,
    "rows": 40,
    "description": "first 40 rows of panel with NaN at the (row, col) gaps",
    "pairwise_covariance": tolist(pw_cov),
    "pairwise_correlation": tolist(pw_corr),
    "complete_rows_covariance": tolist(np.cov(complete, rowvar=False, ddof=1)),
    "complete_rows": int(complete.shape[0]),
}

# ---------------------------------------------------------------- EWMA (closed forms, not recursions)
ewma = {}
for lam in (0.94, 0.97):
    ewma[str(lam)] = {
        "first": tolist(cn.ewma_first(panel, lam)),
        "sample_all": tolist(cn.ewma_sample(panel, lam, panel.shape[0])),
        "sample_30": tolist(cn.ewma_sample(panel, lam, 30)),
        "normalized": tolist(cn.ewma_normalized(panel, lam)),
    }
out["ewma"] = ewma
fhs = lit["fhs_ewma_example"]
r20 = np.array(fhs["returns"])
s_next = np.sqrt(cn.ewma_sample(r20[:, None], fhs["lambda"], len(r20))[0, 0])
check(abs(s_next - fhs["sigma_T_plus_1"]) < 1e-15, "FHS EWMA sigma_T+1")
h, e = cn.garch_filter(r20, 2e-6, 0.08, 0.90, 0.0, h1=1e-4)
g_next = np.sqrt(2e-6 + 0.08 * e[-1] ** 2 + 0.90 * h[-1])
check(abs(g_next - fhs["garch"]["sigma_T_plus_1"]) < 1e-10, "FHS GARCH sigma_T+1")

# ---------------------------------------------------------------- shrinkage (sklearn + covCor port)
small = rng.standard_normal((8, 12)) * 0.02  # n < p
datasets = {
    "lw_doctest_X": np.array(shrink["lw_doctest_X"]),
    "oas_doctest_X": np.array(shrink["oas_doctest_X"]),
    "covcor_R": np.array(shrink["covcor_R"]),
    "panel": panel,
    "n_lt_p": small,
}
sh = {"n_lt_p_data": tolist(small)}
for name, x in datasets.items():
    lw_cov, lw_s = ledoit_wolf(x)
    oas_cov, oas_s = oas(x)
    cc_cov, cc_s, rbar = cn.covcor(x)
    sh[name] = {
        "ledoit_wolf": {"cov": tolist(lw_cov), "shrinkage": float(lw_s)},
        "oas": {"cov": tolist(oas_cov), "shrinkage": float(oas_s)},
        "constant_correlation": {"cov": tolist(cc_cov), "shrinkage": float(cc_s), "rBar": float(rbar)},
    }
out["shrinkage"] = sh
check(abs(sh["lw_doctest_X"]["ledoit_wolf"]["shrinkage"] - shrink["lw_doctest"]["shrinkage"]) < 1e-12, "sklearn LW doctest")
check(abs(sh["oas_doctest_X"]["oas"]["shrinkage"] - shrink["oas_doctest"]["shrinkage"]) < 1e-12, "sklearn OAS doctest")
check(abs(sh["covcor_R"]["constant_correlation"]["shrinkage"] - shrink["covcor_R_result"]["shrinkage"]) < 1e-12, "covCor on R")

# ---------------------------------------------------------------- nearest correlation
ncm = {}
nc = lit["nearest_correlation"]
for key in ("nag_4x4", "higham_3x3"):
    a = np.array(nc[key]["A"], float)
    x_ap, it = cn.nearcorr_ap(a, tol=1e-14)
    x_nt, nit, _ = cn.nearcorr_newton(a, tol=1e-14)
    check(np.max(np.abs(cn.scale_unit_diag(x_ap) - np.array(nc[key]["X"]))) < 1e-8, key + " AP vs published")
    check(np.max(np.abs(cn.scale_unit_diag(x_nt) - np.array(nc[key]["X"]))) < 1e-8, key + " Newton vs published")
    ncm[key] = {"ap_iterations_tol_1e-14": it, "newton_iterations_tol_1e-14": nit}
a3 = np.array(nc["higham_3x3"]["A"], float)
x10, y10, it10 = cn.nearcorr_ap(a3, tol=0.0, max_iter=10, return_y=True)
check(abs(y10[0, 1] - 0.76073699) < 5e-9 and abs(y10[0, 2] - 0.15727601) < 5e-9, "10 AP iterations vs mikecroucher")
ncm["higham_3x3_after_10"] = {"X_scaled": tolist(cn.scale_unit_diag(x10)), "Y": tolist(y10)}
w = nc["higham_3x3_weighted"]
xw, _ = cn.nearcorr_ap(a3, tol=1e-14, weights=w["weights"])
check(np.max(np.abs(cn.scale_unit_diag(xw) - np.array(w["X"]))) < 1e-8, "weighted 3x3 vs published")

rng_ncm = np.random.default_rng(4301)
for n in (10, 50):
    u = rng_ncm.uniform(-1, 1, (n, n))
    a = np.triu(u, 1)
    a = a + a.T + np.eye(n)
    x_nt, nit, cg = cn.nearcorr_newton(a, tol=1e-12)
    x_ap, ait = cn.nearcorr_ap(a, tol=1e-13)
    xs = cn.scale_unit_diag(x_nt)
    check(np.max(np.abs(xs - cn.scale_unit_diag(x_ap))) < 1e-8, "random AP vs Newton n=%d" % n)
    _, ait8 = cn.nearcorr_ap(a, tol=1e-8)
    wts = rng_ncm.uniform(0.5, 2.0, n)
    xw_nt, _, _ = cn.nearcorr_newton(a, tol=1e-12, weights=wts)
    xw_ap, _ = cn.nearcorr_ap(a, tol=1e-13, weights=wts)
    check(np.max(np.abs(cn.scale_unit_diag(xw_nt) - cn.scale_unit_diag(xw_ap))) < 1e-7, "weighted random n=%d" % n)
    ncm["random_%d" % n] = {
        "description": "numpy default_rng(4301): symmetric uniform(-1,1) off-diagonal, unit diagonal (n=10 drawn first)",
        "A": tolist(a),
        "X": tolist(xs),
        "distance": float(np.linalg.norm(a - xs)),
        "min_eigenvalue_A": float(np.linalg.eigvalsh(a)[0]),
        "ap_iterations_tol_1e-8": ait8,
        "ap_iterations_tol_1e-13": ait,
        "newton_iterations_tol_1e-12": nit,
        "weights": tolist(wts),
        "X_weighted": tolist(cn.scale_unit_diag(xw_nt)),
    }
out["nearest_correlation"] = ncm

# ---------------------------------------------------------------- GARCH(1,1) on the committed TS series
gs = load("garch_series.json")
r = np.array(gs["returns"], float)
T = len(r)
s2 = np.var(r)
true = gs["params"]
garch = {
    "loglik_true_params": float(cn.garch_loglik(r, true["omega"], true["alpha"], true["beta"])),
    "loglik_other": {"params": {"omega": 3e-6, "alpha": 0.05, "beta": 0.93, "mu": 0.0002},
                     "loglik": float(cn.garch_loglik(r, 3e-6, 0.05, 0.93, 0.0002))},
    "loglik_unconditional_h1": {"params": {"omega": 2e-6, "alpha": 0.08, "beta": 0.9},
                                "loglik": float(cn.garch_loglik(r, 2e-6, 0.08, 0.9, 0.0, h1=2e-6 / 0.02))},
}
h_true, _ = cn.garch_filter(r, true["omega"], true["alpha"], true["beta"])
garch["variance_true_params_first5"] = tolist(h_true[:5])
garch["variance_true_params_last"] = float(h_true[-1])
garch["next_variance_true_params"] = float(true["omega"] + true["alpha"] * r[-1] ** 2 + true["beta"] * h_true[-1])


def fit(mean, targeting):
    """Maximise the Gaussian log-likelihood with scipy: theta = (w = omega/s2, alpha, beta[, mu/sd])."""
    sd = np.sqrt(s2)

    def unpack(th):
        alpha, beta = th[0], th[1]
        k = 2
        mu = 0.0
        if targeting:
            omega = None
        else:
            omega = th[k] * s2
            k += 1
        if mean == "constant":
            mu = th[k] * sd
        if targeting:
            omega = np.mean((r - mu) ** 2) * (1 - alpha - beta)
        return omega, alpha, beta, mu

    def nll(th):
        omega, alpha, beta, mu = unpack(th)
        if omega <= 0 or alpha < 0 or beta < 0 or alpha + beta >= 1:
            return 1e10
        return -cn.garch_loglik(r, omega, alpha, beta, mu) / T

    best = None
    for a0, b0 in [(0.05, 0.9), (0.1, 0.85), (0.05, 0.94), (0.15, 0.8), (0.03, 0.96), (0.2, 0.7)]:
        th0 = [a0, b0]
        bounds = [(1e-8, 1), (1e-8, 1)]
        if not targeting:
            th0.append(1 - a0 - b0)
            bounds.append((1e-8, 10))
        if mean == "constant":
            th0.append(np.mean(r) / sd)
            bounds.append((-1, 1))
        cons = [{"type": "ineq", "fun": lambda th: 1 - 1e-8 - th[0] - th[1]}]
        res = optimize.minimize(nll, th0, method="SLSQP", bounds=bounds, constraints=cons,
                                options={"ftol": 1e-14, "maxiter": 1000})
        res = optimize.minimize(nll, res.x, method="Nelder-Mead",
                                options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 20000, "maxfev": 40000})
        if best is None or res.fun < best.fun:
            best = res
    omega, alpha, beta, mu = unpack(best.x)
    # Hessian-based standard errors of (alpha, beta[, omega][, mu]) by central differences of logL.
    names = ["alpha", "beta"] + ([] if targeting else ["omega"]) + (["mu"] if mean == "constant" else [])
    th = np.array([{"alpha": alpha, "beta": beta, "omega": omega, "mu": mu}[n_] for n_ in names])
    sc = np.array([{"alpha": 1e-2, "beta": 1e-2, "omega": omega, "mu": sd}[n_] for n_ in names])

    def ll(v):
        d = dict(zip(names, v))
        mu_ = d.get("mu", 0.0)
        om = d["omega"] if "omega" in d else np.mean((r - mu_) ** 2) * (1 - d["alpha"] - d["beta"])
        return cn.garch_loglik(r, om, d["alpha"], d["beta"], mu_)

    k = len(th)
    hstep = (2.0 ** -52) ** 0.25 * np.maximum(np.abs(th), sc)
    H = np.zeros((k, k))
    f0 = ll(th)
    for i in range(k):
        ei = np.zeros(k); ei[i] = hstep[i]
        H[i, i] = (ll(th + ei) - 2 * f0 + ll(th - ei)) / hstep[i] ** 2
        for j in range(i):
            ej = np.zeros(k); ej[j] = hstep[j]
            H[i, j] = H[j, i] = (ll(th + ei + ej) - ll(th + ei - ej) - ll(th - ei + ej) + ll(th - ei - ej)) / (4 * hstep[i] * hstep[j])
    se = np.sqrt(np.diag(np.linalg.inv(-H)))
    return {
        "params": {"omega": float(omega), "alpha": float(alpha), "beta": float(beta), "mu": float(mu)},
        "loglik": float(-best.fun * T),
        "standard_errors": {n_: float(s) for n_, s in zip(names, se)},
        "optimizer": "scipy SLSQP (bounds, alpha+beta<1) from 6 starts, Nelder-Mead polish; best of starts",
    }


garch["fit_zero_mean"] = fit("zero", False)
garch["fit_constant_mean"] = fit("constant", False)
garch["fit_variance_targeting"] = fit("zero", True)
out["garch"] = garch

with open(os.path.join(FIX, "correlation_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
print("wrote correlation_reference.json;", "GARCH zero-mean fit:", garch["fit_zero_mean"]["params"], garch["fit_zero_mean"]["loglik"])
print("ncm iterations:", {k: {kk: vv for kk, vv in v.items() if "iterations" in kk} for k, v in ncm.items()})
