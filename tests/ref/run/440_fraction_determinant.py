from fractions import Fraction as F
from vx import println
def show(f): return str(f.numerator) if f.denominator == 1 else "%d/%d" % (f.numerator, f.denominator)
x = F(1, 2) + F(1, 3); y = F(3, 4) - F(5, 6)
println(show(x), show(y), show(x * y), show(x / y), show(-x), y < x, x < y)
println(show(F(1) + F(1, 2) + F(1, 3) + F(1, 4)))
def det(m):
    m = [r[:] for r in m]; n = len(m); d = F(1)
    for c in range(n):
        p = next((r for r in range(c, n) if m[r][c] != 0), None)
        if p is None: return F(0)
        if p != c: m[p], m[c] = m[c], m[p]; d = -d
        d *= m[c][c]
        for r in range(c + 1, n):
            f = m[r][c] / m[c][c]
            for k in range(c, n): m[r][k] -= f * m[c][k]
    return d
def inv(m):
    n = len(m); a = [list(m[i]) + [F(int(i == j)) for j in range(n)] for i in range(n)]
    for c in range(n):
        p = next((r for r in range(c, n) if a[r][c] != 0), None)
        if p is None: return None
        a[p], a[c] = a[c], a[p]; pv = a[c][c]; a[c] = [v / pv for v in a[c]]
        for r in range(n):
            if r != c and a[r][c] != 0:
                f = a[r][c]; a[r] = [a[r][k] - f * a[c][k] for k in range(2 * n)]
    return [r[n:] for r in a]
for m in [[[2, 0, 1], [1, 3, 2], [1, 1, 1]], [[1, 2], [2, 4]], [[0, 1, 2], [1, 0, 3], [4, -3, 8]],
          [[6, 1, 1, 3], [4, -2, 5, 1], [2, 8, 7, 6], [3, 1, 9, 7]]]:
    f = [[F(v) for v in r] for r in m]; i = inv(f)
    println("det", show(det(f)), " inverse " + ("none" if i is None else "[" + ", ".join('"%s"' % " ".join(map(show, r)) for r in i) + "]"))
