"""Independent numpy implementations of the correlation-layer algorithms, used by
make_correlation_reference.py (reference fixtures) and scripts/bench/correlation.ts (peer timings).

They follow the published algorithms directly (dense numpy/LAPACK, no block tricks), so agreement with
the TypeScript code is a real check:
  - nearcorr_ap: Higham (2002) alternating projections with Dykstra's correction, the stopping rule of
    Higham's nearcorr.m / mikecroucher/nearest_correlation (max of the three relative changes).
  - nearcorr_newton: Qi & Sun (2006) semismooth Newton on the dual, PCG with the Jacobian diagonal as
    preconditioner (Borsdorf & Higham 2010), Armijo line search; Jacobian products formed densely.
  - covcor: Ledoit & Wolf constant-correlation shrinkage, a line-by-line port of covCor.m (2014).
  - ewma_*: RiskMetrics EWMA in closed (weighted-sum) form rather than by recursion.
  - garch_loglik: Gaussian GARCH(1,1) log-likelihood with h_1 = mean(eps^2).
"""
import numpy as np


def proj_psd(a):
    w, v = np.linalg.eigh((a + a.T) / 2)
    return (v * np.maximum(w, 0)) @ v.T


def nearcorr_ap(a, tol=1e-8, max_iter=100000, weights=None, return_y=False):
    n = a.shape[0]
    w = np.ones(n) if weights is None else np.asarray(weights, float)
    whalf = np.sqrt(np.outer(w, w))
    x = a.copy()
    y = a.copy()
    ds = np.zeros_like(a)
    it = 0
    while True:
        it += 1
        r = y - ds
        xn = proj_psd(whalf * r) / whalf
        ds = xn - r
        yn = xn.copy()
        np.fill_diagonal(yn, 1.0)
        rel_x = np.linalg.norm(xn - x) / np.linalg.norm(xn)
        rel_y = np.linalg.norm(yn - y) / np.linalg.norm(yn)
        rel_xy = np.linalg.norm(yn - xn) / np.linalg.norm(yn)
        x, y = xn, yn
        if max(rel_x, rel_y, rel_xy) <= tol or it >= max_iter:
            break
    return (x, y, it) if return_y else (x, it)


def scale_unit_diag(x):
    d = 1 / np.sqrt(np.diag(x))
    out = x * np.outer(d, d)
    np.fill_diagonal(out, 1.0)
    return np.clip(out, -1, 1)


def _dual(g, y, b):
    w, p = np.linalg.eigh(g + np.diag(y))
    pos = w > 0
    theta = 0.5 * np.sum(w[pos] ** 2) - b @ y
    grad = (p[:, pos] ** 2) @ w[pos] - b
    return theta, grad, w, p


def nearcorr_newton(a, tol=1e-8, max_iter=200, weights=None):
    """Qi-Sun Newton. Returns (X, newton_steps, cg_iterations); X is (G + diag y)_+ un-weighted."""
    n = a.shape[0]
    b = np.ones(n) if weights is None else np.asarray(weights, float)
    wh = np.sqrt(b)
    g = a * np.outer(wh, wh)
    g = (g + g.T) / 2
    y = b - np.diag(g)
    theta, grad, lam, p = _dual(g, y, b)
    it = 0
    cg_total = 0
    while np.linalg.norm(grad) > tol and it < max_iter:
        it += 1
        pos = lam > 0
        lp = lam[:, None]
        lq = lam[None, :]
        with np.errstate(divide="ignore", invalid="ignore"):
            om = np.where(pos[:, None] & pos[None, :], 1.0,
                          np.where(pos[:, None] & ~pos[None, :], lp / (lp - lq),
                                   np.where(~pos[:, None] & pos[None, :], lq / (lq - lp), 0.0)))
        p2 = p * p
        c = np.maximum(np.sum((p2 @ om) * p2, axis=1) + 1e-10, 1e-8)

        def jac(h):
            m = p.T @ (h[:, None] * p)
            return np.sum((p @ (om * m)) * p, axis=1) + 1e-10 * h

        rhs = -grad
        eta = min(1e-2, np.linalg.norm(grad))
        d = np.zeros(n)
        r = rhs.copy()
        z = r / c
        q = z.copy()
        rz = r @ z
        for k in range(min(n, 200)):
            wv = jac(q)
            den = q @ wv
            cg_total += 1
            if den <= 0:
                if k == 0:
                    d = q
                break
            al = rz / den
            d = d + al * q
            r = r - al * wv
            if np.linalg.norm(r) <= eta * np.linalg.norm(rhs):
                break
            z = r / c
            rzn = r @ z
            q = z + (rzn / rz) * q
            rz = rzn
        slope = grad @ d
        t = 1.0
        for _ in range(31):
            th_t, gr_t, lam_t, p_t = _dual(g, y + t * d, b)
            if th_t <= theta + 1e-4 * t * slope + 1e-14 * max(1, abs(theta)):
                break
            t *= 0.5
        y = y + t * d
        theta, grad, lam, p = th_t, gr_t, lam_t, p_t
    pos = lam > 0
    xp = (p[:, pos] * lam[pos]) @ p[:, pos].T
    return xp / np.outer(wh, wh), it, cg_total


def covcor(x):
    """Ledoit-Wolf constant-correlation shrinkage, covCor.m (2014) ported line by line."""
    t, n = x.shape
    x = x - x.mean(axis=0)
    sample = (x.T @ x) / t
    var = np.diag(sample).copy()
    sqrtvar = np.sqrt(var)
    rbar = (np.sum(sample / np.outer(sqrtvar, sqrtvar)) - n) / (n * (n - 1))
    prior = rbar * np.outer(sqrtvar, sqrtvar)
    np.fill_diagonal(prior, var)
    y = x ** 2
    phimat = y.T @ y / t - 2 * (x.T @ x) * sample / t + sample ** 2
    phi = phimat.sum()
    term1 = (x ** 3).T @ x / t
    help_ = x.T @ x / t
    helpdiag = np.diag(help_)
    term2 = helpdiag[:, None] * sample
    term3 = help_ * var[:, None]
    term4 = var[:, None] * sample
    thetamat = term1 - term2 - term3 + term4
    np.fill_diagonal(thetamat, 0)
    rho = np.sum(np.diag(phimat)) + rbar * np.sum(np.outer(1 / sqrtvar, sqrtvar) * thetamat)
    gamma = np.linalg.norm(sample - prior, "fro") ** 2
    kappa = (phi - rho) / gamma
    shrink = max(0.0, min(1.0, kappa / t))
    return shrink * prior + (1 - shrink) * sample, shrink, rbar


def ewma_first(r, lam):
    """Closed form: lam^(T-1) r1 r1' + (1-lam) sum_{t=2..T} lam^(T-t) r_t r_t'."""
    t_len = r.shape[0]
    w = np.array([(1 - lam) * lam ** (t_len - 1 - t) for t in range(t_len)])
    w[0] = lam ** (t_len - 1)
    return (r * w[:, None]).T @ r


def ewma_sample(r, lam, seed_rows):
    """Closed form: lam^T S0 + (1-lam) sum_{t=1..T} lam^(T-t) r_t r_t', S0 = mean of r r' over seed rows."""
    t_len = r.shape[0]
    s0 = r[:seed_rows].T @ r[:seed_rows] / seed_rows
    w = np.array([(1 - lam) * lam ** (t_len - 1 - t) for t in range(t_len)])
    return lam ** t_len * s0 + (r * w[:, None]).T @ r


def ewma_normalized(r, lam):
    t_len = r.shape[0]
    w = np.array([(1 - lam) * lam ** (t_len - 1 - t) for t in range(t_len)]) / (1 - lam ** t_len)
    return (r * w[:, None]).T @ r


def garch_filter(r, omega, alpha, beta, mu=0.0, h1=None):
    e = r - mu
    h = np.empty_like(e)
    h[0] = np.mean(e ** 2) if h1 is None else h1
    for t in range(1, len(e)):
        h[t] = omega + alpha * e[t - 1] ** 2 + beta * h[t - 1]
    return h, e


def garch_loglik(r, omega, alpha, beta, mu=0.0, h1=None):
    h, e = garch_filter(r, omega, alpha, beta, mu, h1)
    return -0.5 * np.sum(np.log(2 * np.pi) + np.log(h) + e ** 2 / h)
