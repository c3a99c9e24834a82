from math import comb, factorial
from vx import println
n = 1
while factorial(n + 1) < 2 ** 256: n += 1
f = factorial(n)
ds = lambda x: sum(map(int, str(x)))
println("largest factorial in u256:", n, "! =", f)
println("digit sum", ds(f))
println("20! =", factorial(20), True)
a, b, k = 0, 1, 1
while a + b < 2 ** 128: a, b, k = b, a + b, k + 1
println("last fibonacci in u128: F(", k, ") =", b)
println("wrapping next:", (a + b) % 2 ** 128)
for nn, kk in [(10, 3), (52, 5), (100, 50), (200, 100)]:
    println("C(%d, %d) = %d" % (nn, kk, comb(nn, kk)), ds(comb(nn, kk)))
println("u256 max:", 2 ** 256 - 1, True, "None")
