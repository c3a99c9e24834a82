import math
def a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)
def mul_av(v, n):
    out = [0.0] * n
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += a(i, j) * v[j]
        out[i] = s
    return out
def mul_atv(v, n):
    out = [0.0] * n
    for i in range(n):
        s = 0.0
        for j in range(n):
            s += a(j, i) * v[j]
        out[i] = s
    return out
def mul_atav(v, n):
    return mul_atv(mul_av(v, n), n)
n = 400
u = [1.0] * n
v = [0.0] * n
for k in range(10):
    v = mul_atav(u, n)
    u = mul_atav(v, n)
vbv = vv = 0.0
for i in range(n):
    vbv += u[i] * v[i]
    vv += v[i] * v[i]
print("%.9f" % math.sqrt(vbv / vv))
