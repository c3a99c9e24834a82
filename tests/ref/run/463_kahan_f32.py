import struct, math
from vx import println
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
f16 = lambda x: struct.unpack("e", struct.pack("e", x))[0]
def bf16(x):                       # round to nearest even on the top 16 bits of the f32 pattern
    u = struct.unpack("I", struct.pack("f", f32(x)))[0]
    u = (u + 0x7FFF + ((u >> 16) & 1)) & 0xFFFF0000
    return struct.unpack("f", struct.pack("I", u))[0]
def s32(x):                        # the shortest repr that reads back as the same f32
    for p in range(1, 18):
        t = "%.*g" % (p, x)
        if f32(float(t)) == x: return repr(float(t))
n = 100000; s = 0.0
for _ in range(n): s = f32(s + f32(0.1))
k = c = 0.0
for _ in range(n):
    y = f32(f32(0.1) - c); t = f32(k + y); c = f32(f32(t - k) - y); k = t
println("f32 naive", s32(s), "kahan", s32(k))
d = 0.0
for _ in range(n): d += 0.1
println("f64 naive", d, "exact", n / 10.0)
println(16777216.0, s32(f32(16777216.0 + 2.0)), 16777217.0)
p = f32(1.1); println(s32(f32(p * p)), p * p, 1.1 * 1.1)
h = 0.0
for _ in range(5000): h = f16(h + 1.0)
println("f16 counting to 5000 gives", h)
b = 0.0
for _ in range(1000): b = bf16(b + 1.0)
println("bf16 counting to 1000 gives", b)
x = 3.14159265358979
println(s32(f32(x)), "3.14", "3.14", f16(x), bf16(x))
println(0.0, "inf", "-inf", f32(0.1))
println(s32(f32(math.sqrt(2.0))), math.sqrt(2.0), s32(f32(math.exp(1.0))), s32(f32(math.log(10.0))))
