from vx import println
from collections import deque
grid = ["S..#......", ".#.#.####.", ".#...#....", ".####.#.#.", "......#.#E", ".####...#."]
h, w = len(grid), len(grid[0])
S = next((r, c) for r in range(h) for c in range(w) if grid[r][c] == "S")
E = next((r, c) for r in range(h) for c in range(w) if grid[r][c] == "E")
dist = [-1] * 60; prev = [-1] * 60
q = [S[0] * w + S[1]]; dist[q[0]] = 0; head = 0
while head < len(q):
    cur = q[head]; head += 1
    r, c = divmod(cur, w)
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        nr, nc = r + dr, c + dc
        if not (0 <= nr < h and 0 <= nc < w) or grid[nr][nc] == "#": continue
        i = nr * w + nc
        if dist[i] >= 0: continue
        dist[i] = dist[cur] + 1; prev[i] = cur; q.append(i)
println("shortest:", dist[E[0] * w + E[1]], "reachable:", len(q))
on = [False] * 60; at = E[0] * w + E[1]
while at >= 0: on[at] = True; at = prev[at]
for r in range(h):
    println("".join("*" if on[r * w + c] and grid[r][c] == "." else grid[r][c] for c in range(w)))
