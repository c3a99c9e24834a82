from vx import println
def find(p, x):
    while p[x] != x: x = p[x]
    return x
edges = [(7, 0, 1), (5, 0, 3), (8, 1, 2), (9, 1, 3), (7, 1, 4), (5, 2, 4),
         (15, 3, 4), (6, 3, 5), (8, 4, 5), (9, 4, 6), (11, 5, 6)]
p = list(range(7)); total = 0; chosen = []
for w, u, v in sorted(edges):
    ru, rv = find(p, u), find(p, v)
    if ru != rv: p[ru] = rv; total += w; chosen.append((u, v, w))
println("mst weight", total)
for u, v, w in chosen: println("  %d-%d (%d)" % (u, v, w))
p = list(range(10)); sets = 10
for a, b in [(0, 1), (2, 3), (1, 2), (5, 6), (0, 3), (7, 8), (8, 9), (9, 7), (4, 4)]:
    ra, rb = find(p, a), find(p, b)
    if ra != rb: p[ra] = rb; sets -= 1
    println(a, b, ra != rb, sets)
groups = {}
for i in range(10): groups.setdefault(find(p, i), []).append(i)
for g in groups.values(): println(g)
