# binary-trees (the Benchmarks Game, depth 16), as binary_trees.vx.
import sys
sys.setrecursionlimit(10000)
def make(d):
    if d == 0: return ((), ())
    return (make(d - 1), make(d - 1))
def check(t):
    if t: return 1 + check(t[0]) + check(t[1])
    return 0
max_depth = 16
stretch = max_depth + 1
print(f"stretch tree of depth {stretch}\t check: {check(make(stretch))}")
long_lived = make(max_depth)
for d in range(4, max_depth + 1, 2):
    iters = 1 << (max_depth - d + 4)
    s = 0
    for _ in range(iters): s += check(make(d))
    print(f"{iters}\t trees of depth {d}\t check: {s}")
print(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")
