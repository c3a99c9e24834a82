from vx import println
def sieve(n):
    s = [True] * (n + 1); s[0] = s[1] = False
    for i in range(2, int(n ** 0.5) + 1):
        if s[i]:
            for j in range(i * i, n + 1, i): s[j] = False
    return s
def fac(n):
    out = []; p = 2
    while p * p <= n:
        e = 0
        while n % p == 0: n //= p; e += 1
        if e: out.append((p, e))
        p += 1 if p == 2 else 2
    if n > 1: out.append((n, 1))
    return out
def phi(n):
    for p, _ in fac(n): n = n // p * (p - 1)
    return n
s = sieve(100); primes = [i for i, b in enumerate(s) if b]
println(len(primes), "primes below 100:", primes)
println("below 100000:", sum(sieve(100000)))
for n in [2, 12, 360, 97, 1001, 65536, 123456789, 600851475143]:
    println(n, "=", " * ".join(str(p) if e == 1 else "%d^%d" % (p, e) for p, e in fac(n)), " phi =", phi(n))
for n in [4, 28, 100, 98]:
    k = next(k for k in range(2, n) if s[k] and s[n - k]); println("%d = %d + %d" % (n, k, n - k))
println("twins:", [(p, p + 2) for p in primes if p + 2 < 100 and s[p + 2]])
