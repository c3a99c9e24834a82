from vx import println
def zeros(n, m): return [[0.0] * m for _ in range(n)]
def matmul(a, b):
    c = zeros(len(a), len(b[0]))
    for i in range(len(a)):
        for j in range(len(b[0])):
            for k in range(len(b)): c[i][j] += a[i][k] * b[k][j]
    return c
def transpose(a): return [[a[i][j] for i in range(len(a))] for j in range(len(a[0]))]
def identity(n):
    m = zeros(n, n)
    for i in range(n): m[i][i] = 1.0
    return m
def mpow(a, e):
    r = identity(len(a)); b = a
    while e > 0:
        if e % 2 == 1: r = matmul(r, b)
        b = matmul(b, b); e //= 2
    return r
def det(a):
    m = [row[:] for row in a]; n = len(m); d = 1.0
    for col in range(n):
        piv = col
        for r in range(col + 1, n):
            if abs(m[r][col]) > abs(m[piv][col]): piv = r
        if m[piv][col] == 0.0: return 0.0
        if piv != col: m[piv], m[col] = m[col], m[piv]; d = -d
        d *= m[col][col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            for k in range(col, n): m[r][k] -= f * m[col][k]
    return d
def solve(a, b):
    n = len(a); m = [a[i][:] + [b[i]] for i in range(n)]
    for col in range(n):
        piv = col
        for r in range(col + 1, n):
            if abs(m[r][col]) > abs(m[piv][col]): piv = r
        m[piv], m[col] = m[col], m[piv]
        for r in range(n):
            if r == col: continue
            f = m[r][col] / m[col][col]
            for k in range(col, n + 1): m[r][k] -= f * m[col][k]
    return [m[i][n] / m[i][i] for i in range(n)]
import math
def rnd(v):  # round half away from zero, as C's round()
    return math.floor(v + 0.5) if v >= 0 else -math.floor(-v + 0.5)
a = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]; b = [[7.0, 8.0], [9.0, 10.0], [11.0, 12.0]]
println(matmul(a, b)); println(transpose(a))
fib = [[1.0, 1.0], [1.0, 0.0]]
println(mpow(fib, 10), mpow(fib, 0))
println(det([[2.0, 0.0, 1.0], [1.0, 3.0, 2.0], [1.0, 1.0, 1.0]]), det([[1.0, 2.0], [2.0, 4.0]]), det(identity(4)))
println(det([[0.0, 1.0], [1.0, 0.0]]))
x = solve([[2.0, 1.0, -1.0], [-3.0, -1.0, 2.0], [-2.0, 1.0, 2.0]], [8.0, -11.0, -3.0])
println([float(rnd(v * 1000000.0)) / 1000000.0 for v in x])
