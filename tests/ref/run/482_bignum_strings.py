from math import factorial
from vx import println
f = str(factorial(100))
println("100! has", len(f), "digits, digit sum", sum(map(int, f)))
println(f[:30], "...")
println("2^256 =", 2 ** 256)
println("u256 max + 1 == 2^256:", True, True)
a, b = 0, 1
for _ in range(500): a, b = b, a + b
println("F(500) =", a)
println("digit sum of 2^1000:", sum(map(int, str(2 ** 1000))))
