from vx import println
words = ["hot", "dot", "dog", "lot", "log", "cog", "hit", "cot", "cat", "hat", "bat", "bag", "big"]
def nb(w, d):
    return [w[:i] + l + w[i + 1:] for i in range(len(w)) for l in "abcdefghijklmnopqrstuvwxyz"
            if l != w[i] and w[:i] + l + w[i + 1:] in d]
def ladder(a, b):
    d = set(words); par = {a: ""}; fr = [a]
    while fr:
        nx = []
        for w in fr:
            if w == b:
                p = [w]
                while par[p[-1]]: p.append(par[p[-1]])
                return p[::-1]
            for n in nb(w, d):
                if n not in par: par[n] = w; nx.append(n)
        fr = nx
for a, b in [("hit", "cog"), ("cat", "dog"), ("big", "hot"), ("hit", "hit"), ("cat", "xyz")]:
    p = ladder(a, b)
    if p: println(a, "->", b, ":", len(p) - 1, "steps", " > ".join(p))
    else: println(a, "->", b, ": no ladder")
