# An independent reimplementation of the documented generator (docs/stdlib.md):
# xoshiro256** seeded by splitmix64, rand = top 53 bits / 2^53, randint by
# Lemire's method, shuffle by Fisher-Yates, rand_normal by Box-Muller.
import math
from vx import println
M = (1 << 64) - 1
class Rng:
    def seed(self, x):
        x &= M; self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
            self.s.append(z ^ (z >> 31))
    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
        r = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        return r
    def below(self, n):
        m = self.next() * n
        if (m & M) < n:
            floor = (1 << 64) % n
            while (m & M) < floor: m = self.next() * n
        return m >> 64
    def rand(self): return (self.next() >> 11) * 2.0 ** -53
    def randint(self, lo, hi): return lo + self.below(hi - lo + 1)
    def normal(self):
        u1 = self.rand(); u2 = self.rand()
        return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * 3.141592653589793 * u2)
    def shuffle(self, a):
        a = list(a)
        for i in range(len(a), 1, -1):
            j = self.below(i); a[i-1], a[j] = a[j], a[i-1]
        return a
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
