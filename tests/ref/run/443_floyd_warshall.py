from vx import println
INF = 10 ** 9
def floyd(n, edges):
    d = [[0 if i == j else INF for j in range(n)] for i in range(n)]
    nx = [[i if i == j else -1 for j in range(n)] for i in range(n)]
    for u, v, w in edges: d[u][v] = w; nx[u][v] = v
    for k in range(n):
        for i in range(n):
            if d[i][k] == INF: continue
            for j in range(n):
                if d[k][j] != INF and d[i][k] + d[k][j] < d[i][j]: d[i][j] = d[i][k] + d[k][j]; nx[i][j] = nx[i][k]
    return d, nx
def path(nx, a, b):
    if nx[a][b] == -1: return []
    p = [a]
    while p[-1] != b: p.append(nx[p[-1]][b])
    return p
d, nx = floyd(5, [(0, 1, 3), (0, 2, 8), (0, 4, -4), (1, 3, 1), (1, 4, 7), (2, 1, 4), (3, 0, 2), (3, 2, -5), (4, 3, 6)])
for r in d: println(["%4d" % x for x in r])
for a, b in [(0, 2), (2, 4), (4, 1), (3, 3)]: println("%d -> %d: %d via %s" % (a, b, d[a][b], path(nx, a, b)))
d2, n2 = floyd(4, [(0, 1, 1), (2, 3, 1)])
println(d2[0][3] == INF, path(n2, 0, 3), path(n2, 2, 3))
d3, _ = floyd(3, [(0, 1, 1), (1, 2, -3), (2, 0, 1)])
println("negative cycle:", any(d3[i][i] < 0 for i in range(3)))
