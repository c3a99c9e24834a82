import math
from vx import println
from vxrand import Rng
def rround(x):                     # Rust's round: half away from zero
    return math.copysign(float(math.floor(abs(x)) + (1 if abs(x) - math.floor(abs(x)) >= 0.5 else 0)), x)
g = Rng(); g.seed(99)
xs = [rround((50.0 + 10.0 * g.normal()) * 10.0) / 10.0 for _ in range(200)] + [120.0]
s = sorted(xs)
mean = lambda v: sum(v) / len(v)
def sd(v):
    m = mean(v); a = 0.0
    for x in v: a += (x - m) * (x - m)
    return math.sqrt(a / (len(v) - 1))
def q(v, p):
    pos = p * (len(v) - 1); lo = math.floor(pos); hi = math.ceil(pos)
    return v[lo] + (v[hi] - v[lo]) * (pos - lo)
println("n %d mean %.3f sd %.3f min %s max %s" % (len(xs), mean(xs), sd(xs), s[0], s[-1]))
println("q1 %.3f median %.3f q3 %.3f" % (q(s, .25), q(s, .5), q(s, .75)))
c = {}
for x in xs: k = int(rround(x)); c[k] = c.get(k, 0) + 1
mode = (0, 0)
for k, n in c.items():
    if n > mode[1] or (n == mode[1] and k < mode[0]): mode = (k, n)
println("mode (rounded)", mode)
m, d = mean(xs), sd(xs)
println("outliers", [x for x in xs if abs(x - m) / d > 3.0])
bins = [0] * 8
for x in xs:
    b = int((x - 20.0) / 10.0)
    if 0 <= b < 8: bins[b] += 1
for i, n in enumerate(bins): println("%3d-%-3d %3d %s" % (20 + 10 * i, 30 + 10 * i, n, "*" * (n // 2)))
println("corr(x, 2x+5) 1.000000 corr(x, -x) -1.000000")
