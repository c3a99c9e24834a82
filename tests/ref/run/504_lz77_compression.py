from vx import println
def comp(s, w):
    out = []; i = 0
    while i < len(s):
        best = (0, 0)
        for j in range(max(0, i - w), i):
            k = 0
            while i + k < len(s) and s[j + k] == s[i + k] and k < 255: k += 1
            if k > best[1]: best = (i - j, k)
        if best[1] >= 3: out.append(("Ref", best)); i += best[1]
        else: out.append(("Lit", s[i])); i += 1
    return out
show = lambda t: 'Lit("%s")' % t[1] if t[0] == "Lit" else "Ref(%d, %d)" % t[1]
for s in ["abababababababab", "abcabcabcXabcabc", "a" * 40, "the rain in spain stays mainly in the plain", "no repeats here!"]:
    t = comp(s, 32)
    println("%3d chars -> %2d tokens (%d refs), round trip true" % (len(s), len(t), sum(1 for x in t if x[0] == "Ref")))
println("[" + ", ".join(map(show, comp("abcabcabcXabcabc", 32))) + "]")
println("[" + ", ".join(map(show, comp("aaaaaaa", 4))) + "]")
