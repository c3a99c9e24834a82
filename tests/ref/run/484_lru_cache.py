from vx import println
class Lru:
    def __init__(s, cap): s.cap = cap; s.vals = {}; s.order = []; s.hits = s.misses = 0
    def touch(s, k): s.order = [x for x in s.order if x != k] + [k]
    def get(s, k):
        if k in s.vals: s.hits += 1; s.touch(k); return "Some(%d)" % s.vals[k]
        s.misses += 1; return "None"
    def put(s, k, v):
        ev = "None"
        if k not in s.vals and len(s.order) == s.cap:
            old = s.order.pop(0); del s.vals[old]; ev = "Some(%d)" % old
        s.vals[k] = v; s.touch(k); return ev
c = Lru(3)
r = [c.put(1, 10), c.put(2, 20), c.put(3, 30), c.get(1), c.put(4, 40), c.get(2)]
println(*r, c.order)
r = [c.put(3, 33), c.get(3)]; o1 = list(c.order); r2 = c.put(5, 50)
println(*r, o1, r2, c.order)
m = Lru(4); total = 0
for i in range(200):
    x = (i * i + i // 7) % 11
    g = m.get(x)
    if g == "None": v = x * x; m.put(x, v)
    else: v = m.vals[x]
    total += v
println("total", total, "hits", m.hits, "misses", m.misses, "cached", sorted(m.vals))
