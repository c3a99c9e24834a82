from vx import println
for rule in [30, 90, 110]:
    println("rule", rule)
    c = [False] * 31; c[30 if rule == 110 else 15] = True; pop = []
    for _ in range(12):
        println("".join("#" if b else "." for b in c)); pop.append(sum(c))
        c = [(rule >> ((4 if i > 0 and c[i - 1] else 0) | (2 if c[i] else 0) | (1 if i + 1 < 31 and c[i + 1] else 0))) & 1 == 1 for i in range(31)]
    println("population", pop)
