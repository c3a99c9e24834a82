from vx import println
def mul(a, b, z):
    n = len(a); out = []
    for i in range(n):
        row = []
        for j in range(n):
            s = z
            for k in range(n): s = s + a[i][k] * b[k][j]
            row.append(s)
        out.append(row)
    return out
def pw(m, e, z, o):
    r = [[o if i == j else z for j in range(len(m))] for i in range(len(m))]
    while e > 0:
        if e % 2: r = mul(r, m, z)
        m = mul(m, m, z); e //= 2
    return r
flat = lambda m: [x for r in m for x in r]
for k in [1, 2, 10, 50, 63]: println("F(", k, ") =", pw([[1, 1], [1, 0]], k, 0, 1)[0][1])
adj = [[0, 1, 1, 0], [1, 0, 1, 1], [1, 1, 0, 1], [0, 1, 1, 0]]
a4 = pw(adj, 4, 0, 1)
println("walks of length 3 from 0 to 3:", pw(adj, 3, 0, 1)[0][3], "closed walks of length 4:", sum(a4[i][i] for i in range(4)))
rot = [[0.0, -1.0], [1.0, 0.0]]
r2 = mul(rot, rot, 0.0)
println(flat(pw(rot, 4, 0.0, 1.0)), flat(pw(rot, 2, 0.0, 1.0)), 0.0 + r2[0][0] + r2[1][1])
p = pw([[0.5, 0.5], [0.25, 0.75]], 64, 0.0, 1.0)
println("stationary %.6f %.6f" % (p[0][0], p[0][1]))
println([1, 0, 0, 0, 1, 0, 0, 0, 1], 3)
