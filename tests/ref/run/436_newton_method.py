import math
from vx import println, fmt_e
def newton(f, df, x, tol):
    steps = 0
    while True:
        nx = x - f(x) / df(x); steps += 1
        if abs(nx - x) < tol or steps >= 100: return nx, steps
        x = nx
for a in [2.0, 10.0, 0.25, 1e6]:
    r, n = newton(lambda x: x * x - a, lambda x: 2.0 * x, a, 1e-12)
    println("sqrt(%r) = %.12f in %d steps, error %s" % (a, r, n, fmt_e(abs(r - math.sqrt(a)))))
c, n = newton(lambda x: x * x * x - 27.0, lambda x: 3.0 * x * x, 1.0, 1e-13)
println("cbrt(27) = %.10f (%d steps)" % (c, n))
p, m = newton(lambda x: x * x * x - 2.0 * x - 5.0, lambda x: 3.0 * x * x - 2.0, 2.0, 1e-14)
println("x^3 - 2x - 5 = 0 at %.15f (%d steps)" % (p, m))
q, k = newton(lambda x: math.cos(x) - x, lambda x: -math.sin(x) - 1.0, 1.0, 1e-15)
println("cos(x) = x at %.15f (%d steps)" % (q, k))
println(round(q * 1e6) / 1e6, float(math.floor(q * 1000.0)), float(math.ceil(q * 1000.0)))
println("%.6f" % math.pow(2.0, 0.5), "%12.4f|%-12.4f|%s|" % (math.pi, math.e, ("%.4f" % -math.pi).center(12)))
