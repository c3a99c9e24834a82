from itertools import permutations, combinations
from vx import println
def queens(n):
    sols = []
    def go(cols):
        if len(cols) == n: sols.append(cols[:]); return
        for c in range(n):
            if all(cols[r] != c and abs(cols[r] - c) != len(cols) - r for r in range(len(cols))):
                cols.append(c); go(cols); cols.pop()
    go([])
    return sols
for n in range(1, 9):
    s = queens(n); println("queens", n, len(s), s[0] if s else [])
f = queens(6)[0]
for r in range(6): println("".join("Q" if f[r] == c else "." for c in range(6)))
println(["".join(p) for p in permutations("abc")])
println(len(list(permutations(range(5)))))
cs = [list(c) for c in combinations(range(1, 6), 3)]; println(len(cs), cs)
xs = [2, 3, 5, 6, 8, 10]
out = []
def sums(i, t, cur):
    if t == 0: out.append(cur); return
    if i == len(xs) or t < 0: return
    sums(i + 1, t - xs[i], cur + [xs[i]]); sums(i + 1, t, cur)
sums(0, 10, []); println(out)
