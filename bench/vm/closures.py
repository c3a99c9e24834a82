# closures: as closures.vx, with map/filter/reduce and lambdas.
from functools import reduce
xs = [i % 1000 for i in range(200000)]
total = 0
for rnd in range(100):
    k = rnd + 1
    ys = list(filter(lambda x: x % 3 == 0, map(lambda x: x * k, xs)))
    total += reduce(lambda a, x: a + x % 7, ys, 0)
print(total)
