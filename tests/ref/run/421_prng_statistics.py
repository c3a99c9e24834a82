# An independent reimplementation of the documented generator (docs/stdlib.md):
# xoshiro256** seeded by splitmix64, rand = top 53 bits / 2^53, randint by
# Lemire's method, shuffle by Fisher-Yates, rand_normal by Box-Muller.
import math
from vx import println
from vxrand import Rng
g = Rng(); g.seed(12345)
a = g.rand(); b = g.rand(); c = g.randint(1, 6); d = g.randint(-3, 3); e = g.normal(); f = g.normal()
println(a, b, c, d, e, f)
x = g.shuffle(range(10)); y = g.shuffle(["a", "b", "c"])
println(x, y)
g.seed(7); n = 20000
su = su2 = sn = sn2 = 0.0; within = 0; hist = [0] * 6
for _ in range(n):
    u = g.rand(); su += u; su2 += u * u
    z = g.normal(); sn += z; sn2 += z * z
    if abs(z) < 1.0: within += 1
    hist[g.randint(0, 5)] += 1
mu = su / n; mn = sn / n
println("uniform mean %.4f var %.4f" % (mu, su2 / n - mu * mu))
println("normal mean %.4f var %.4f within1 %.4f" % (mn, sn2 / n - mn * mn, within / n))
println(hist)
println(abs(mu - 0.5) < 0.01, abs(mn) < 0.03, abs(sn2 / n - mn * mn - 1.0) < 0.05, abs(within / n - 0.6827) < 0.01)
println(True)
