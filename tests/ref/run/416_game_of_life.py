from vx import println
g = [[False] * 10 for _ in range(10)]
for r, c in [(0, 1), (1, 2), (2, 0), (2, 1), (2, 2), (6, 6), (6, 7), (6, 8)]: g[r][c] = True
def step(g):
    n = len(g)
    return [[(lambda k: k == 3 or (k == 2 and g[r][c]))(sum(g[(r+dr) % n][(c+dc) % n] for dr in (-1, 0, 1) for dc in (-1, 0, 1) if dr or dc)) for c in range(n)] for r in range(n)]
for gen in range(9):
    if gen % 4 == 0:
        println("gen", gen, "alive", sum(sum(row) for row in g))
        for row in g: println("".join("#" if b else "." for b in row))
    g = step(g)
