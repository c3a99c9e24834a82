from vx import println
def adjacency(n, edges):
    adj = [[] for _ in range(n)]
    for u, v in edges: adj[u].append(v); adj[v].append(u)
    return adj
def dfs(adj, u, seen, order):
    seen[u] = True; order.append(u)
    for v in adj[u]:
        if not seen[v]: dfs(adj, v, seen, order)
def dfs_iter(adj, s):
    seen = [False] * len(adj); st = [s]; out = []
    while st:
        u = st.pop()
        if seen[u]: continue
        seen[u] = True; out.append(u)
        for v in reversed(adj[u]):
            if not seen[v]: st.append(v)
    return out
def colour(adj):
    c = [-1] * len(adj)
    for s in range(len(adj)):
        if c[s] != -1: continue
        c[s] = 0; q = [s]; h = 0
        while h < len(q):
            u = q[h]; h += 1
            for v in adj[u]:
                if c[v] == -1: c[v] = 1 - c[u]; q.append(v)
                elif c[v] == c[u]: return None
    return c
adj = adjacency(9, [(0, 1), (0, 2), (1, 3), (2, 3), (3, 4), (5, 6), (6, 7), (7, 5)])
seen = [False] * 9; k = 0
for s in range(9):
    if not seen[s]:
        o = []; dfs(adj, s, seen, o); k += 1; println("component", k, o)
println("iterative from 0:", dfs_iter(adj, 0))
println("bipartite:", colour(adj) is not None)
println("square colours: Some(%s)" % colour(adjacency(6, [(0, 1), (1, 2), (2, 3), (3, 0), (4, 5)])))
