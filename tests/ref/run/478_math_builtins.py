import math, struct
from vx import println
f32 = lambda x: struct.unpack("f", struct.pack("f", x))[0]
def s32(x):
    for p in range(1, 18):
        t = "%.*g" % (p, x)
        if f32(float(t)) == x: return repr(float(t))
def rround(x):                     # Rust's round: half away from zero, exact
    r = float(math.floor(x)) if x >= 0 else -float(math.floor(-x))
    d = abs(x - r)
    if d >= 0.5: r += math.copysign(1.0, x)
    return math.copysign(r, x)
for x in [0.0, 0.5, 1.0, 2.0, 10.0, 100.0]: println(x, math.sqrt(x), math.exp(x), math.log(x + 1.0), math.log2(x + 1.0))
for x in [0.0, math.pi / 6.0, math.pi / 4.0, math.pi / 2.0, math.pi, -1.0]: println(math.sin(x), math.cos(x), math.tan(x), math.tanh(x))
for x in [2.5, -2.5, 0.49999999999999994, -0.5, 3.7, -3.7, 1e20]:
    println(x, float(math.floor(x)) if x != -0.5 else -1.0, math.copysign(float(math.ceil(x)), x) if x < 0 and math.ceil(x) == 0 else float(math.ceil(x)), rround(x), abs(x))
println(2.0 ** 10, math.sqrt(2.0), float("nan"), 1.0, 0.01)
println(math.pi, math.e, 1.0, True, 10.0, True)
println("inf -inf NaN -inf inf NaN NaN -0.0 0.0")
println(False, False, False, 1.0, -0.0, 3.0, -3.0)
println(s32(f32(math.sqrt(2.0))), s32(f32(math.e)), s32(f32(math.log2(3.0))), s32(f32(math.tan(1.0))), 3.0, s32(f32(math.sqrt(3.0))))
println(7, 7, 2.5, 100, -3, 2, 1)
println(True, math.tanh(20.0), math.tanh(-20.0), -0.0, -0.0)
