import math
from vx import println, fmt_e
def trap(f, a, b, n):
    h = (b - a) / n; s = (f(a) + f(b)) / 2.0
    for i in range(1, n): s += f(a + i * h)
    return s * h
def simp(f, a, b, n):
    h = (b - a) / n; s = f(a) + f(b)
    for i in range(1, n): s += f(a + i * h) * (4.0 if i % 2 else 2.0)
    return s * h / 3.0
def e3(x):                          # Rust's {:.3e}
    m, e = ("%.3e" % x).split("e"); return m + "e" + str(int(e))
for n in [4, 16, 64]:
    t = trap(math.sin, 0.0, math.pi, n); s = simp(math.sin, 0.0, math.pi, n)
    println("n=%-3d trapezoid %.10f (err %s)  simpson %.12f (err %s)" % (n, t, fmt_e(abs(t - 2.0)), s, e3(abs(s - 2.0))))
println("%.12f" % simp(lambda x: math.exp(-x * x), -5.0, 5.0, 200), "%.12f" % math.sqrt(math.pi))
println("%.12f" % simp(lambda x: 1.0 / x, 1.0, math.e, 100), "%.10f" % simp(lambda x: x * x * x, 0.0, 2.0, 2))
lo, hi, n = 0.0, 2.0, 0
f = lambda x: x * x - 2.0
while hi - lo > 1e-12:
    mid = (lo + hi) / 2.0
    if (f(lo) < 0.0) == (f(mid) < 0.0): lo = mid
    else: hi = mid
    n += 1
println("bisection sqrt(2) %.12f in %d halvings" % ((lo + hi) / 2.0, n))
def gold(f, a, b):
    g = (math.sqrt(5.0) - 1.0) / 2.0
    for _ in range(80):
        c = b - g * (b - a); d = a + g * (b - a)
        if f(c) < f(d): b = d
        else: a = c
    return (a + b) / 2.0
println("minimum of (x-1.5)^2+1 at %.6f, of cos on [2, 4] at %.6f" % (gold(lambda x: (x - 1.5) * (x - 1.5) + 1.0, -10.0, 10.0), gold(math.cos, 2.0, 4.0)))
ye = yr = 1.0; h = 0.1
for _ in range(10):
    ye += h * ye; k1 = yr; k2 = yr + h / 2.0 * k1; k3 = yr + h / 2.0 * k2; k4 = yr + h * k3
    yr += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
println("y(1): euler %.8f rk4 %.10f exact %.10f" % (ye, yr, math.e))
