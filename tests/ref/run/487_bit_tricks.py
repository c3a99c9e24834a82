from vx import println
M = 2 ** 64 - 1
def ctz(x): return 64 if x == 0 else (x & -x).bit_length() - 1
for x in [0, 1, 6, 255, 1024, M, 12297829382473034410]: println(x, bin(x).count("1"), ctz(x), x != 0 and x & (x - 1) == 0)
rev8 = lambda b: int("{:08b}".format(b)[::-1], 2)
println(rev8(1), rev8(6), rev8(255), rev8(0b10110000), "{:08b}".format(rev8(0b00010110)))
rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M
println(rotl(1, 63), rotl(0x8000000000000001, 1), rotl(0x0123456789abcdef, 16))
println(["{:03b}".format(n ^ (n >> 1)) for n in range(8)])
println(" ".join("{" + "".join("abc"[i] for i in range(3) if m >> i & 1) + "}" for m in range(8)))
s = 88172645463325252; outs = []
for _ in range(4):
    s ^= (s << 13) & M; s ^= s >> 7; s ^= (s << 17) & M; outs.append(s % 1000)
println("xorshift64:", outs, (s * 0x2545F4914F6CDD1D) & M)
f = 0b10100101
println(f & 15, f | 15, f ^ 255, ~f & 255, f >> 4, ((f << 2) & 255) >> 2)
println(-1 >> 60, -16 >> 2, 1 << 62, -8 & 255, 0x7FFFFFFFFFFFFFFF ^ -1)
