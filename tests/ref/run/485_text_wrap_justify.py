from vx import println
def wrap(t, w):
    lines, cur, n = [], [], 0
    for x in t.split(" "):
        if not x: continue
        e = len(x) + (1 if cur else 0)
        if n + e > w and cur: lines.append(cur); cur, n = [], 0
        n += len(x) + (1 if cur else 0); cur.append(x)
    if cur: lines.append(cur)
    return lines
def just(ws, w):
    if len(ws) == 1: return ws[0]
    g = len(ws) - 1; sp = w - sum(map(len, ws)); out = ws[0]
    for i in range(1, len(ws)): out += " " * (sp // g + (1 if i - 1 < sp % g else 0)) + ws[i]
    return out
t = "The quick brown fox jumps over the lazy dog while the five boxing wizards jump quickly and a sphinx of black quartz judges my vow"
L = wrap(t, 28)
println("+" + "-" * 30 + "+")
for i, l in enumerate(L): println("| " + (" ".join(l) if i == len(L) - 1 else just(l, 28)).ljust(28) + " |")
println("+" + "-" * 30 + "+")
for l in wrap(t, 40): println("[" + " ".join(l).center(40) + "]")
println(["_".join(l) for l in wrap("supercalifragilistic word", 10)])
