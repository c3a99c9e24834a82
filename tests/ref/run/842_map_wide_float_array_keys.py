# Twin of tests/run/842_map_wide_float_array_keys.vx (lists as keys become tuples, () as None).
from vx import println, show


def smap(d, key=show):
    return "{" + ", ".join(key(k) + ": " + show(v, True) for k, v in d.items()) + "}"


big = 1 << 200
w = {big: "2^200", big + 1: "2^200+1"}
w[1 << 200] = "again"
println(w, w[big + 1], big - 1 in w)
s = {-(1 << 127): 1, -1: 2}
println(s, s[-1])
f = {0.0: "zero"}
f[-0.0] = "negative zero"
f[0.1 + 0.2] = "sum"
println(f, "None" if 0.3 not in f else "?", 'Some("' + f[0.30000000000000004] + '")')
g = {1.5: 1, -0.0: 2}
g[0.0] = 3
println(g)
arr = {(1, 2, 3): "a", (): "empty", (1, 2): "b"}
arr[(1, 2, 3)] = "c"
println(smap(arr, lambda k: "[" + ", ".join(map(str, k)) + "]"), arr[(1, 2)])
names = {("ada", True): 1, ("ada", False): 2}
names[("ad" + "a", True)] = 3
println(names)
seen = {}
for word in "to be or not to be".split(" "):
    seen[word] = None
println("{" + ", ".join(f'"{k}": ()' for k in seen) + "}", len(seen), list(seen))
acc = 3
for name, op in {"double": lambda x: x * 2, "square": lambda x: x * x}.items():
    acc = op(acc)
    println(name, acc)
println("tensor([3., 6.])")
grid = {r: {c: r * 10 + c for c in range(r + 1)} for r in range(3)}
row1 = dict(grid[1])
row1[5] = 15
println(grid, row1)
other = {w: None for w in ["not", "or", "be", "to"]}
by_set = {frozenset(seen): 1}
by_set[frozenset(other)] = 2
del other["to"]
by_set[frozenset(other)] = 3
println(frozenset(seen) == frozenset(other), len(by_set), by_set[frozenset(seen)], list(by_set.values()))
