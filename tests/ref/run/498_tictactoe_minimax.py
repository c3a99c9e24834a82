from vx import println
L = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]
def win(b):
    for x, y, z in L:
        if b[x] and b[x] == b[y] == b[z]: return b[x]
    return 0
cnt = [0]
def mm(b, p, a, be):
    cnt[0] += 1
    w = win(b)
    if w: return w * 10
    if 0 not in b: return 0
    best = -100 if p == 1 else 100
    for i in range(9):
        if b[i]: continue
        b[i] = p; v = mm(b, -p, a, be); b[i] = 0
        if p == 1: best = max(best, v); a = max(a, v)
        else: best = min(best, v); be = min(be, v)
        if be <= a: break
    return best
def bm(b, p):
    b = b[:]; ch = -1; best = -1000 if p == 1 else 1000
    for i in range(9):
        if b[i]: continue
        b[i] = p; v = mm(b, -p, -1000, 1000); b[i] = 0
        if (p == 1 and v > best) or (p == -1 and v < best): best = v; ch = i
    return ch
show = lambda b: "".join({1: "X", -1: "O", 0: "."}[c] for c in b)
v = mm([0] * 9, 1, -1000, 1000); println("value of the empty board:", v, "nodes", cnt[0])
for p in [[1, 1, 0, -1, -1, 0, 0, 0, 0], [1, 0, 0, 0, -1, 0, 0, 0, 1], [-1, 1, 0, 0, 1, 0, 0, 0, 0]]:
    cnt[0] = 0; pl = 1 if sum(1 for c in p if c) % 2 == 0 else -1; m = bm(p, pl)
    println(show(p), "to move:", "X" if pl == 1 else "O", "best", m, "searched", cnt[0])
b = [0] * 9; pl = 1; mv = []
while win(b) == 0 and 0 in b:
    m = bm(b, pl); b[m] = pl; mv.append(m); pl = -pl
println("perfect game:", mv, show(b), "winner", win(b))
