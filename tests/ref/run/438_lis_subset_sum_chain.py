import bisect
from functools import lru_cache
from vx import println
def lis(a):
    tails, idx, prev = [], [], [-1] * len(a)
    for i, x in enumerate(a):
        lo = bisect.bisect_left(tails, x)
        if lo > 0: prev[i] = idx[lo - 1]
        if lo == len(tails): tails.append(x); idx.append(i)
        else: tails[lo] = x; idx[lo] = i
    out = []; k = idx[-1]
    while k >= 0: out.append(a[k]); k = prev[k]
    return out[::-1]
def subset(items, t):
    can = [False] * (t + 1); fr = [-1] * (t + 1); can[0] = True
    for i, x in enumerate(items):
        for s in range(t, x - 1, -1):
            if not can[s] and can[s - x]: can[s] = True; fr[s] = i
    if not can[t]: return "None"
    p = []; s = t
    while s > 0: p.append(items[fr[s]]); s -= items[fr[s]]
    return "Some(%s)" % sorted(p)
def chain(d):
    n = len(d) - 1
    @lru_cache(None)
    def best(i, j):
        if i == j: return (0, "M%d" % (i + 1))
        r = None
        for k in range(i, j):
            a, b = best(i, k), best(k + 1, j)
            c = a[0] + b[0] + d[i] * d[k + 1] * d[j + 1]
            if r is None or c < r[0]: r = (c, "(%s %s)" % (a[1], b[1]))
        return r
    return '(%d, "%s")' % best(0, n - 1)
def paths(rows):
    w = len(rows[0]); ways = [0] * w; ways[0] = 1
    for r in rows:
        for c in range(w):
            if r[c] == "#": ways[c] = 0
            elif c > 0: ways[c] += ways[c - 1]
    return ways[-1]
println(lis([10, 9, 2, 5, 3, 7, 101, 18, 4, 8, 6, 12, 11]))
println(lis([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9]))
println(subset([3, 34, 4, 12, 5, 2], 9), subset([3, 34, 4, 12, 5, 2], 30), subset([7, 14], 5))
for d in ([40, 20, 30, 10, 30], [10, 20, 30, 40, 30], [5, 10, 3, 12, 5, 50, 6]): println(chain(d))
println(paths(["....", "....", "...."]), paths(["..#.", "....", ".#..", "...."]))
