from vx import println
V = [1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1]
S = ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"]
def to_r(n):
    out = ""
    for v, s in zip(V, S):
        while n >= v: out += s; n -= v
    return out
val = dict(I=1, V=5, X=10, L=50, C=100, D=500, M=1000)
def from_r(s):
    t = 0
    for i, c in enumerate(s):
        if c not in val: return None
        t += -val[c] if i + 1 < len(s) and val[c] < val.get(s[i + 1], 0) else val[c]
    return t if 1 <= t <= 3999 and to_r(t) == s else None
opt = lambda v: "None" if v is None else "Some(%d)" % v
for n in [1, 4, 9, 14, 40, 90, 400, 1994, 2024, 3888, 3999]: println(n, to_r(n), opt(from_r(to_r(n))))
lng = 0
for n in range(1, 4000):
    if len(to_r(n)) > len(to_r(lng)): lng = n
println("characters for 1..3999:", sum(len(to_r(n)) for n in range(1, 4000)), "longest:", lng, to_r(lng))
for s in ["IIII", "IC", "MCMXCIV", "XLII", "ABC", "", "MMMM"]: println("%8s -> %s" % (s, opt(from_r(s))))
