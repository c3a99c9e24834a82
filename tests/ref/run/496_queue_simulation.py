import math
from vx import println
from vxrand import Rng
g = Rng(); g.seed(31337); n = 500
expo = lambda r: -math.log(1.0 - g.rand()) / r
arr = []; t = 0.0
for _ in range(n): t += expo(1.0); arr.append(t)
free = [0.0, 0.0]; busy = [0.0, 0.0]; waits = []; by = [0, 0]
for a in arr:
    k = 0 if free[0] <= free[1] else 1
    s = max(a, free[k]); sv = expo(0.6)
    waits.append(s - a); free[k] = s + sv; busy[k] += sv; by[k] += 1
lng = max(sum(1 for j in range(i) if arr[j] + waits[j] > a) for i, a in enumerate(arr))
end = max(free)
sw = 0.0
for w in waits: sw += w
mw = 0.0
for w in waits: mw = max(mw, w)
println("simulated %.2f time units, %d customers" % (end, n))
println("mean wait %.4f, %d of %d waited, max wait %.4f" % (sw / n, sum(1 for w in waits if w > 0), n, mw))
println("teller use %.3f %.3f, served %s" % (busy[0] / end, busy[1] / end, by))
println("longest queue (waiting when someone arrives):", lng)
