from vx import println
def pf(p):
    pi = [0] * len(p); k = 0
    for i in range(1, len(p)):
        while k and p[i] != p[k]: k = pi[k - 1]
        if p[i] == p[k]: k += 1
        pi[i] = k
    return pi
def find_all(t, p):
    return [i for i in range(len(t) - len(p) + 1) if t[i:i + len(p)] == p]
def z(s):
    return [0] + [next((k for k in range(len(s) - i) if s[k] != s[i + k]), len(s) - i) for i in range(1, len(s))]
def pal(s):
    best = ""
    for i in range(len(s)):
        for j in range(i + 1, len(s) + 1):
            t = s[i:j]
            if t == t[::-1] and len(t) > len(best): best = t
    return best
println(find_all("abababcabababcab", "ababc"), find_all("aaaaa", "aa"), find_all("hello", "xyz"))
println(pf("aabaaab"))
println(z("aabxaabxcaabxaabxay"))
for s in ["babad", "forgeeksskeegfor", "abacdfgdcaba", "x", "noon at noon"]: println(s, "->", pal(s))
g = {}
for w in ["listen", "silent", "enlist", "google", "gooegl", "cat", "act", "tac", "dog"]:
    g.setdefault("".join(sorted(w)), []).append(w)
for k, v in g.items(): println(k, v)
