from vx import println
def topo(deps):
    indeg, succ = {}, {}
    for b, a in deps:
        indeg.setdefault(b, 0); indeg[a] = indeg.get(a, 0) + 1; succ.setdefault(b, []).append(a)
    ready = sorted(k for k in indeg if indeg[k] == 0); order = []
    while ready:
        n = ready.pop(0); order.append(n)
        for m in succ.get(n, []):
            indeg[m] -= 1
            if indeg[m] == 0: ready = sorted(ready + [m])
    if len(order) < len(indeg):
        return None, "cycle among " + ", ".join(sorted(k for k in indeg if indeg[k] > 0))
    return order, None
o, e = topo([("fetch", "configure"), ("configure", "compile"), ("compile", "link"),
             ("codegen", "compile"), ("fetch", "codegen"), ("link", "test"),
             ("compile", "docs"), ("docs", "package"), ("test", "package")])
println(" -> ".join(o))
o, e = topo([("a", "b"), ("b", "c"), ("c", "a"), ("start", "a"), ("c", "end")])
println("error:", e)
println("Ok([])")
