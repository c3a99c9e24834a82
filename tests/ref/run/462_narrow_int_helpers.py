from vx import println, tdiv
K = {"i8": (8, True), "i16": (16, True), "i32": (32, True), "u8": (8, False), "u16": (16, False), "u32": (32, False), "u64": (64, False)}
def rng(k):
    b, s = K[k]; return (-(1 << (b - 1)), (1 << (b - 1)) - 1) if s else (0, (1 << b) - 1)
def wrap(k, v):
    b, s = K[k]; v &= (1 << b) - 1
    return v - (1 << b) if s and v >= 1 << (b - 1) else v
def sat(k, v): lo, hi = rng(k); return max(lo, min(hi, v))
def chk(k, v): lo, hi = rng(k); return "Some(%d)" % v if lo <= v <= hi else "None"
def cdiv(k, a, b): return "None" if b == 0 else chk(k, tdiv(a, b))
ops = {"wa": lambda k, a, b: wrap(k, a + b), "ws": lambda k, a, b: wrap(k, a - b), "wm": lambda k, a, b: wrap(k, a * b),
       "sa": lambda k, a, b: sat(k, a + b), "ss": lambda k, a, b: sat(k, a - b), "sm": lambda k, a, b: sat(k, a * b),
       "ca": lambda k, a, b: chk(k, a + b), "cs": lambda k, a, b: chk(k, a - b), "cm": lambda k, a, b: chk(k, a * b), "cd": cdiv}
cols = {"i8": "wa ws wm sa ss sm ca cm cd", "i16": "wa wm ss sm cs cd", "i32": "wa wm sa cm cd", "u8": "wa ws wm ss sa cs cd",
        "u16": "wm sm ca", "u32": "ws ss cm", "u64": "wa wm sa cs"}
cases = [("i8", 100, 50), ("i8", -128, -1), ("i8", -100, 100), ("i8", 127, 0), ("i8", -7, 2),
         ("i16", 30000, 10000), ("i16", -32768, -1), ("i16", -300, 200),
         ("i32", 2147483647, 1), ("i32", -2147483648, -1), ("i32", 65536, 65536), ("i32", -17, 5),
         ("u8", 200, 100), ("u8", 3, 250), ("u8", 255, 0), ("u8", 16, 16), ("u16", 300, 300), ("u16", 65535, 1),
         ("u32", 5, 10), ("u32", 65536, 65536), ("u32", 4000000000, 1),
         ("u64", 18446744073709551615, 1), ("u64", 4294967296, 4294967296), ("u64", 10, 3)]
for k, a, b in cases: println(k, a, b, *[ops[o](k, a, b) for o in cols[k].split()])
def fnv(s):
    h = 2166136261
    for i, c in enumerate(s): h = ((h ^ ((1 + i * 7) & 255)) * 16777619) % 2 ** 32
    return h
println(fnv("hello"), fnv(""), fnv("vortex language"))
println("u16 checksum", sum((i * 37) % 65536 for i in range(1000)) % 65536)
