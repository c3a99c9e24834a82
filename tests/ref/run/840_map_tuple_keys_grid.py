# Twin of tests/run/840_map_tuple_keys_grid.vx (dicts keep insertion order, as Vortex maps do).
from math import comb
from vx import println

grid = ["S..#....", ".#.#.##.", ".#...#..", ".####.#.", "......#E"]
dist = {(0, 0): 0}
queue = [(0, 0)]
head = 0
while head < len(queue):
    r, c = queue[head]
    head += 1
    for dr, dc in [(1, 0), (-1, 0), (0, 1), (0, -1)]:
        nr, nc = r + dr, c + dc
        if nr < 0 or nr >= len(grid) or nc < 0 or nc >= len(grid[0]):
            continue
        if grid[nr][nc] == "#" or (nr, nc) in dist:
            continue
        dist[(nr, nc)] = dist[(r, c)] + 1
        queue.append((nr, nc))
println("reachable:", len(dist), "to E:", dist[(4, 7)], "missing:", "None")
far = (0, 0)
for k, v in dist.items():
    if v > dist[far]:
        far = k
println("farthest:", far, dist[far])
memo = {}


def paths(r, c):
    if r == 0 or c == 0:
        return 1
    if (r, c) not in memo:
        memo[(r, c)] = paths(r - 1, c) + paths(r, c - 1)
    return memo[(r, c)]


n = paths(8, 8)
assert n == comb(16, 8)
println("paths 8x8:", n, "memo entries:", len(memo), memo[(3, 5)])
small = {}
for i in range(4):
    small[(i, i * i)] = i
del small[(1, 1)]
small[(1, 1)] = 10
small[(0, 0)] = -1
println(small, list(small), list(small.values()))
rest = dict(small)
del rest[(2, 4)]
println((2, 4) in small, "None", len(rest))
