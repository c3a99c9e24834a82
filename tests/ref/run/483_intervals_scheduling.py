from vx import println
def merge(xs):
    out = []
    for s, e in sorted(xs):
        if out and s <= out[-1][1]: out[-1] = (out[-1][0], max(out[-1][1], e))
        else: out.append((s, e))
    return out
def ov(xs):
    cur = 0; best = (0, 0)
    for t, d in sorted([(s, 1) for s, _ in xs] + [(e, -1) for _, e in xs]):
        cur += d
        if cur > best[0]: best = (cur, t)
    return best
def sched(xs):
    out = []; last = -10 ** 6
    for e, s in sorted((e, s) for s, e in xs):
        if s >= last: out.append((s, e)); last = e
    return out
xs = [(1, 3), (2, 6), (8, 10), (15, 18), (17, 20), (9, 12), (0, 1)]
println(merge(xs))
println(merge([(5, 5)]), merge([]), merge([(1, 4), (4, 5)]), merge([(1, 10), (2, 3), (4, 5)]))
println(ov(xs), ov([(0, 10), (1, 9), (2, 8), (3, 7), (4, 6)]))
c = sched([(9, 10), (9, 12), (10, 11), (11, 13), (12, 14), (13, 15), (8, 9), (14, 16)])
println(len(c), c)
println(merge(xs + [(3, 8)]))
