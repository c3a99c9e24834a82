import bisect, math
from vx import println
a = [1, 3, 3, 3, 5, 8, 13, 13, 21, 34]
for x in [0, 1, 3, 4, 13, 34, 35]:
    lo, hi = bisect.bisect_left(a, x), bisect.bisect_right(a, x)
    println(x, x in a, lo, hi, hi - lo)
for n in [0, 1, 15, 16, 17, 1000000, 999999999999, 18446744073709551615]:
    println("isqrt", n, math.isqrt(n))
w = list(range(1, 11))
def days(cap):
    d, load = 1, 0
    for x in w:
        if load + x > cap: d += 1; load = 0
        load += x
    return d
for d in [1, 2, 3, 5, 10]:
    println("capacity for", d, "days:", next(c for c in range(max(w), sum(w) + 1) if days(c) <= d))
