"""vxrand.py - the VM's documented generator (docs/stdlib.md) in Python, for the twins:
xoshiro256** seeded by splitmix64, rand = top 53 bits / 2^53, randint by
Lemire's method, shuffle by Fisher-Yates, rand_normal by Box-Muller."""
import math
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
