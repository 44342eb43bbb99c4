#!/usr/bin/python3
"""The polynomial coefficients of the f32 functions in kernels/cmath.c.

Each is a weighted minimax fit (Remez exchange, in numpy's long double) of
the relative error of the function it serves, rounded to float:

  exp(r)  = 1 + r + r^2 P(r),        |r| <= ln2/2,       P of degree 4
  tanh(x) = x + x^3 P(x^2),          |x| <= atanh(1/2),  P of degree 4
  log(m)  = 2s + s z P(z), z = s^2,  s = (m-1)/(m+1), m in [sqrt(1/2), sqrt(2)],
                                                         P of degree 2

Prints each coefficient as a C float literal, lowest degree first, with the
fit's error before and after rounding (log2 of the relative error).
Usage: /usr/bin/python3 scripts/cmath_coefficients.py
"""
import numpy as np

L = np.longdouble


def remez(g, w, a, b, n, iters=40, grid=100001):
    """c[0..n-1] minimising max |w(x) (g(x) - sum c_j x^j)| over [a, b]."""
    xs = np.linspace(L(a), L(b), grid, dtype=L)
    xs = xs[w(xs) != 0]
    gx, wx = g(xs), w(xs)
    m = n + 1
    t = (np.arange(m) + 0.5) / m
    ref = np.array(a + (b - a) * (1 - np.cos(np.pi * t)) / 2, dtype=L)
    best = None
    for _ in range(iters):
        wr = w(ref)
        A = np.array([[wr[i] * ref[i] ** j for j in range(n)] + [(-1) ** i] for i in range(m)],
                     dtype=L)
        rhs = wr * g(ref)
        sol = np.linalg.solve(A.astype(np.float64), rhs.astype(np.float64)).astype(L)
        for _ in range(3):  # refine the float64 solution in long double
            sol += np.linalg.solve(A.astype(np.float64),
                                   (rhs - A @ sol).astype(np.float64)).astype(L)
        c = sol[:n]
        err = wx * (gx - np.polyval(c[::-1], xs))
        if best is None or np.max(np.abs(err)) < best[1]:
            best = (c, np.max(np.abs(err)))
        # New reference: the largest error of each run of one sign.
        sign = np.sign(err)
        idx, start = [], 0
        for i in range(1, len(xs) + 1):
            if i == len(xs) or sign[i] != sign[start]:
                idx.append(start + int(np.argmax(np.abs(err[start:i]))))
                start = i
        while len(idx) > m:
            idx = idx[1:] if abs(err[idx[0]]) <= abs(err[idx[-1]]) else idx[:-1]
        if len(idx) < m:
            break
        ref = xs[np.array(idx)]
    return best


def max_error(g, w, a, b, c, grid=100001):
    xs = np.linspace(L(a), L(b), grid, dtype=L)
    return np.max(np.abs(w(xs) * (g(xs) - np.polyval(np.array(c, dtype=L)[::-1], xs))))


def series_or(direct, series, x, small):
    """direct(x), or series(x) where |x| < small (direct cancels there)."""
    x = np.asarray(x, dtype=L)
    out = np.empty_like(x)
    near = np.abs(x) < small
    out[near] = series(x[near])
    out[~near] = direct(x[~near])
    return out


def exp_fit():
    g = lambda r: series_or(lambda r: (np.expm1(r) - r) / r**2,
                            lambda r: 1 / L(2) + r / 6 + r**2 / 24 + r**3 / 120 + r**4 / 720,
                            r, L(1e-3))
    w = lambda r: np.asarray(r, dtype=L) ** 2 / np.exp(np.asarray(r, dtype=L))
    a = float(np.log(L(2)) / 2) * 1.0001
    return "exp", g, w, -a, a, 5


def tanh_fit():
    def direct(z):
        x = np.sqrt(z)
        return (np.tanh(x) - x) / x**3
    g = lambda z: series_or(direct, lambda z: -1 / L(3) + 2 * z / 15 - 17 * z**2 / 315, z,
                            L(1e-4))
    w = lambda z: series_or(lambda z: np.sqrt(z) ** 3 / np.tanh(np.sqrt(z)),
                            lambda z: z * (1 + z / 3), z, L(1e-12))
    b = float(np.arctanh(L(0.5)) ** 2) * 1.0001
    return "tanh", g, w, 0.0, b, 5


def log_fit():
    def direct(z):
        s = np.sqrt(z)
        return (2 * np.arctanh(s) - 2 * s) / s**3
    g = lambda z: series_or(direct, lambda z: 2 / L(3) + 2 * z / 5 + 2 * z**2 / 7, z, L(1e-4))
    w = lambda z: series_or(lambda z: np.sqrt(z) ** 3 / (2 * np.arctanh(np.sqrt(z))),
                            lambda z: z / 2, z, L(1e-12))
    smax = float((np.sqrt(L(2)) - 1) / (np.sqrt(L(2)) + 1))
    return "log", g, w, 0.0, smax * smax * 1.0001, 3


def main():
    for name, g, w, a, b, n in (exp_fit(), tanh_fit(), log_fit()):
        c, err = remez(g, w, a, b, n)
        rounded = [float(np.float32(x)) for x in c]
        print("%s: error 2^%.1f, rounded to float 2^%.1f" % (
            name, np.log2(float(err)), np.log2(float(max_error(g, w, a, b, rounded)))))
        print("  " + ", ".join("%sf" % x.hex().replace("0000000p", "p") for x in rounded))


if __name__ == "__main__":
    main()
