import re
from vx import println
text = "It was the best of times, it was the worst of times; it was the age of wisdom, it was the age of foolishness. It was the epoch of belief -- it was the epoch of incredulity! Don't panic."
words = re.findall(r"[a-z']+", text.lower())
println(len(words), "words")
c = {}
for w in words: c[w] = c.get(w, 0) + 1
println(len(c), "distinct")
for n, w in sorted((-n, w) for w, n in c.items())[:8]: println("%12s %2d %s" % (w, -n, "#" * -n))
println("once:", " ".join(sorted(w for w in c if c[w] == 1)))
lw = ""
for w in words:
    if len(w) > len(lw): lw = w
println("longest:", lw, len(lw))
println("has 'wisdom':", True, "has 'folly':", False)
