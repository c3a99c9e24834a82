from vx import println
def spiral(m):
    m = [r[:] for r in m]; out = []
    while m:
        out += m.pop(0)
        m = [list(r) for r in zip(*m)][::-1]
    return out
T = lambda m: [list(r) for r in zip(*m)]
rot = lambda m: [r[::-1] for r in T(m)]
m = [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
println(spiral(m), spiral([[1]]), spiral([[1, 2], [3, 4]]), spiral([[1], [2], [3]]))
println(T(m)); println(rot(m), rot(rot(rot(rot(m)))) == m)
def fill(g, r0, c0, v):
    old = g[r0][c0]
    if old == v: return 0
    st = [(r0, c0)]; n = 0
    while st:
        r, c = st.pop()
        if r < 0 or c < 0 or r >= len(g) or c >= len(g[0]) or g[r][c] != old: continue
        g[r][c] = v; n += 1; st += [(r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)]
    return n
g = [[0, 0, 1, 0], [0, 1, 1, 0], [1, 0, 0, 0], [0, 0, 1, 1]]
println("filled", fill(g, 0, 0, 7), g); println("filled", fill(g, 2, 1, 5), g)
for s in [[[3, 8, 4], [9, 7, 6], [5, 2, 1]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]]:
    println("saddle points (row max, column min):", [(i, j) for i in range(3) for j in range(3) if s[i][j] == max(s[i]) and s[i][j] == min(r[j] for r in s)])
