import math, struct
from vx import println, tdiv, tmod
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
def s32(x):
    for p in range(1, 18):
        t = "%.*g" % (p, x)
        if f32(float(t)) == x: return repr(float(t))
B = {"i8": (8, 1), "u8": (8, 0), "i16": (16, 1), "u16": (16, 0), "i32": (32, 1), "u32": (32, 0), "i64": (64, 1), "u64": (64, 0)}
def wrap(v, k):
    b, s = B[k]; v &= (1 << b) - 1
    return v - (1 << b) if s and v >> (b - 1) else v
def fcast(f, k):
    b, s = B[k]
    if math.isnan(f): return 0
    lo, hi = (-(1 << (b - 1)), (1 << (b - 1)) - 1) if s else (0, (1 << b) - 1)
    if math.isinf(f): return hi if f > 0 else lo
    return max(lo, min(hi, int(f)))
ks = ["i8", "u8", "i16", "u16", "i32", "u32", "u64"]
for v in [300, -1, 127, 128, -129, 65535, -32769, 4294967296, -9223372036854775808]: println(v, *[wrap(v, k) for k in ks])
for f in [3.99, -3.99, 0.5, -0.5, 1e10, -1e10, 255.5, 256.0, -129.9, 1e300]: println(f, *[fcast(f, k) for k in ["i8", "u8", "i32", "u32", "i64", "u64"]])
nan, inf = float("nan"), float("inf")
println(fcast(nan, "i32"), fcast(nan, "u8"), fcast(inf, "i64"), fcast(-inf, "i64"), fcast(inf, "u16"), fcast(-inf, "u16"))
println(float(9007199254740993), s32(f32(16777217.0)), -1.0, float(2 ** 64 - 1), wrap(2 ** 64 - 1, "i64"), 1.0)
println(1, 0, 1)
println(wrap(200, "i8"), wrap(200, "i8"), 200, wrap(wrap(200, "i8"), "u16"), wrap(-56, "u8"))
big = 1234567890123
println(wrap(big, "i32"), wrap(big, "i32"), wrap(big, "u16"), s32(f32(big)), float(big))
println(int(f32(2.999999)), s32(f32(1e-40)), f32(0.1) == 0.1, 0.1 + 0.2 == 0.3, 0.1 + 0.2)
println(tdiv(-7, 2), tmod(-7, 2), tdiv(7, -2), tmod(7, -2), wrap(-7, "u8") // 2, int(-7.0 / 2.0))
