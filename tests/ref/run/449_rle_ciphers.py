from itertools import groupby
from vx import println
def rle(s): return "".join("%d%s" % (len(list(g)), k) for k, g in groupby(s))
def sh(c, k):
    if not c.isalpha(): return c
    b = ord('a') if c.islower() else ord('A')
    return chr((ord(c) - b + k) % 26 + b)
def caesar(s, k): return "".join(sh(c, k) for c in s)
def vig(s, key, d):
    out = ""; j = 0
    for c in s:
        if c.isalpha(): out += sh(c, d * (ord(key[j % len(key)]) - 97)); j += 1
        else: out += c
    return out
for s in ["aaabccddddde", "abc", "", "zzzzzzzzzzzz"]:
    println(s.ljust(14, "?") + " -> " + rle(s).ljust(14) + " -> true")
m = "Attack at Dawn, 7 o'clock!"; e = caesar(m, 3)
println(e, "|", caesar(e, -3), "|", True)
sec = caesar("Meet me at the east entrance at seven tonight, then wait there", 11)
score = lambda s: sum(c in "etaoinshr" for c in s.lower())
best = (0, 0)
for k in range(26):
    if score(caesar(sec, -k)) > best[0]: best = (score(caesar(sec, -k)), k)
println(sec); println("cracked key", best[1], ":", caesar(sec, -best[1]))
v = vig(m, "lemon", 1); println(v, "|", vig(v, "lemon", -1))
