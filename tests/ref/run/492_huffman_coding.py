from vx import println
text = "abracadabra alakazam"
freq = {}
for c in text: freq[c] = freq.get(c, 0) + 1
nodes = []; q = []
for s in sorted(freq): q.append((freq[s], len(nodes))); nodes.append(("leaf", s))
while len(q) > 1:
    q.sort(); (wa, a), (wb, b) = q[0], q[1]; q = q[2:] + [(wa + wb, len(nodes))]; nodes.append(("join", a, b))
tab = {}
def codes(i, p):
    n = nodes[i]
    if n[0] == "leaf": tab[n[1]] = p or "0"
    else: codes(n[1], p + "0"); codes(n[2], p + "1")
codes(len(nodes) - 1, "")
for s in sorted(tab): println("%5s x%-2d %s" % ('"' + s + '"', freq[s], tab[s]))
bits = "".join(tab[c] for c in text)
println(len(bits), "bits vs", 8 * len(text), ":", bits)
println(True, text)
