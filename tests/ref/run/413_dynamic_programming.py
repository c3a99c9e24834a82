from vx import println
def lcs(a, b):
    n, m = len(a), len(b)
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            t[i][j] = t[i-1][j-1] + 1 if a[i-1] == b[j-1] else max(t[i-1][j], t[i][j-1])
    out = ""; i, j = n, m
    while i > 0 and j > 0:
        if a[i-1] == b[j-1]: out = a[i-1] + out; i -= 1; j -= 1
        elif t[i-1][j] >= t[i][j-1]: i -= 1
        else: j -= 1
    return out
def edit(a, b):
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i]
        for j in range(1, len(b) + 1):
            cur.append(min(prev[j] + 1, cur[j-1] + 1, prev[j-1] + (a[i-1] != b[j-1])))
        prev = cur
    return prev[len(b)]
def knap(items, cap):
    best = [0] * 51
    for w, v in items:
        for c in range(cap, w - 1, -1): best[c] = max(best[c], best[c-w] + v)
    return best[cap]
def coins(cs, total):
    ways = [0] * 101; few = [1000000] * 101; ways[0] = 1; few[0] = 0
    for c in cs:
        for t in range(c, total + 1): ways[t] += ways[t-c]; few[t] = min(few[t], few[t-c] + 1)
    return (ways[total], few[total])
import bisect
def lis(xs):
    tails = []
    for x in xs:
        i = bisect.bisect_left(tails, x)
        if i == len(tails): tails.append(x)
        else: tails[i] = x
    return len(tails)
println(lcs("AGGTABQRSTU", "GXTXAYBRTU"), lcs("dynamic", "programming"))
println(edit("kitten", "sitting"), edit("intention", "execution"), edit("", "abc"))
println(knap([(12, 4), (2, 2), (1, 1), (1, 2), (4, 10), (20, 30), (15, 20)], 50))
println(coins([1, 2, 5, 10, 20, 50], 100), coins([7, 3], 100))
println(lis([10, 9, 2, 5, 3, 7, 101, 18, 4, 19, 20, 1]))
