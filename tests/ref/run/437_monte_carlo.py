from vx import println
from vxrand import Rng
import math
g = Rng(); g.seed(2024); n = 100000; inside = 0
for _ in range(n):
    x = g.rand(); y = g.rand()
    if x * x + y * y < 1.0: inside += 1
pi = 4.0 * inside / n
println("inside", inside, "pi ~", pi, abs(pi - math.pi) < 0.02)
total = 0
for _ in range(200):
    pos = 0
    for _ in range(100): pos += -1 if g.rand() < 0.5 else 1
    total += abs(pos)
println("mean |walk| after 100 steps:", total / 200.0)
counts = [0] * 11
for _ in range(6000):
    a = g.randint(1, 6); b = g.randint(1, 6); counts[a + b - 2] += 1
println("two dice:", counts)
deck = [r + s for s in "SHDC" for r in "A23456789TJQK"]
println("hand:", g.shuffle(deck)[:5], len(g.shuffle(deck)))
s = 0.0
for _ in range(1000): s += g.normal()
println("mean of 1000 normals %.6f" % (s / 1000.0))
