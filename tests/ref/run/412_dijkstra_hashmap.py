from vx import println
g = {}
edges = [("A", "B", 7), ("A", "C", 9), ("A", "F", 14), ("B", "C", 10), ("B", "D", 15),
         ("C", "D", 11), ("C", "F", 2), ("D", "E", 6), ("E", "F", 9), ("G", "H", 1)]
for a, b, w in edges:
    g.setdefault(a, []).append((b, w)); g.setdefault(b, []).append((a, w))
dist = {"A": 0}; prev = {}; done = set()
while True:
    cand = [(d, k) for k, d in dist.items() if k not in done]
    if not cand: break
    best = None
    for k, d in dist.items():
        if k in done: continue
        if best is None or d < bd: best, bd = k, d
    done.add(best)
    for n, w in g.get(best, []):
        if n not in dist or bd + w < dist[n]: dist[n] = bd + w; prev[n] = best
for city in sorted(g):
    if city in dist:
        route = [city]; at = city
        while at in prev: at = prev[at]; route.append(at)
        println(city, dist[city], "->".join(reversed(route)))
    else:
        println(city, "unreachable")
