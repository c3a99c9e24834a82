#!/usr/bin/python3
"""gen_exact.py - golden tests for the VM's wide integers and f16/bf16,
with expected output computed independently here (Python's big integers,
exact fractions; numpy's float16 and torch's bfloat16 as cross-checks).

    /usr/bin/python3 tests/gen/gen_exact.py      # rewrites the files below

Writes tests/run/150..156 (.vx + .out), tests/runtime_errors/150..160
(.vx + .err + .out) and examples/fib.out.  Needs numpy and torch (the
system python3 has both).  The files are committed; rerun after changing
this script and review the diff.
"""
import math
import os
import random
from fractions import Fraction

import numpy as np
import torch

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
INTS = {"i8": (8, True), "i16": (16, True), "i32": (32, True), "i64": (64, True), "i128": (128, True),
        "isize": (64, True), "u8": (8, False), "u16": (16, False), "u32": (32, False), "u64": (64, False),
        "u128": (128, False), "u256": (256, False), "usize": (64, False)}
WIDE = ["i128", "u128", "u256"]


def lo(k):
    bits, s = INTS[k]
    return -(1 << (bits - 1)) if s else 0


def hi(k):
    bits, s = INTS[k]
    return (1 << (bits - 1)) - 1 if s else (1 << bits) - 1


def wrap(x, k):
    bits, s = INTS[k]
    x &= (1 << bits) - 1
    return x - (1 << bits) if s and x >> (bits - 1) else x


def fits(x, k):
    return lo(k) <= x <= hi(k)


def tdiv(a, b):                      # Rust: truncate toward zero
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def trem(a, b):
    return a - b * tdiv(a, b)


def opt(x):
    return "None" if x is None else "Some(%d)" % x


# ---- floats: exact rounding and shortest printing --------------------------------

FMT = {"f16": (11, -14, 15), "bf16": (8, -126, 127), "f32": (24, -126, 127), "f64": (53, -1022, 1023)}


def round_to(x, f):
    """x (a Fraction, int or float) rounded to format f, ties to even; a float."""
    if isinstance(x, float):
        if math.isnan(x) or math.isinf(x) or x == 0:
            return x                                   # keeps the sign of zero
        x = Fraction(x)
    p, emin, emax = FMT[f]
    if x == 0:
        return 0.0
    sign = -1 if x < 0 else 1
    m = abs(x)
    e = m.numerator.bit_length() - m.denominator.bit_length()
    while Fraction(2) ** e > m:
        e -= 1
    while Fraction(2) ** (e + 1) <= m:
        e += 1
    e = max(e, emin)                                   # subnormals: a fixed quantum
    q = Fraction(2) ** (e - p + 1)
    n = m / q
    r = math.floor(n)
    if n - r > Fraction(1, 2) or (n - r == Fraction(1, 2) and r % 2):
        r += 1
    v = r * q
    if v >= Fraction(2) ** (emax + 1):
        return sign * math.inf
    return sign * float(v)


def shortest(v, f):
    """Shortest decimal that rounds back to v in format f, printed as Vortex
    (and Python's repr) do: positional for 1e-4 <= |v| < 1e16."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0.0" if math.copysign(1, v) < 0 else "0.0"
    for p in range(17):
        e = "%.*e" % (p, v)
        if round_to(Fraction(e), f) == v:
            break
    mant, exp = e.split("e")
    exp = int(exp)
    neg = mant.startswith("-")
    digits = mant.lstrip("-").replace(".", "")
    if -4 <= exp < 16:
        if exp >= 0:
            ip = (digits + "0" * (exp + 1))[:exp + 1]
            fp = digits[exp + 1:] or "0"
        else:
            ip, fp = "0", "0" * (-exp - 1) + digits
        s = ip + "." + fp
    else:
        s = digits[0] + ("." + digits[1:] if len(digits) > 1 else "") + "e%s%02d" % ("-" if exp < 0 else "+", abs(exp))
    return ("-" if neg else "") + s


def check_against_libraries():
    """Our rounding and printing agree with numpy (f16, f32) and torch (bf16)."""
    rng = random.Random(7)
    for _ in range(3000):
        x = rng.uniform(-70000, 70000) * 10.0 ** rng.randint(-9, 0)
        with np.errstate(over="ignore"):
            h16 = np.float16(x)
        assert round_to(x, "f16") == float(h16), x
        assert shortest(float(h16), "f16") == str(h16), (x, str(h16))
        f = float(np.float32(x))
        assert round_to(x, "f32") == f
        assert shortest(f, "f32") == str(np.float32(x)), (x, str(np.float32(x)))
        b = torch.tensor(f, dtype=torch.float32).to(torch.bfloat16).item()
        assert round_to(f, "bf16") == b, (f, b)


# ---- wide integer programs ----------------------------------------------------------

def wide_values(k):
    bits, s = INTS[k]
    vals = [0, 1, 2, 3, 7, hi(k), hi(k) - 1, (1 << 64) - 1, 1 << 64, (1 << 63), 10 ** 20 + 7]
    if s:
        vals += [-1, -2, lo(k), lo(k) + 1, -(1 << 64), -(10 ** 19) - 3]
    else:
        vals += [1 << (bits - 1), (1 << (bits - 1)) - 1]
    rng = random.Random(bits * 2 + s)
    vals += [rng.randint(lo(k), hi(k)) for _ in range(3)]
    out = []
    for v in vals:
        if fits(v, k) and v not in out:
            out.append(v)
    return out


def pair_line(a, b, k):
    def chk(x):
        return x if fits(x, k) else None

    def sat(x):
        return min(max(x, lo(k)), hi(k))
    cells = []
    for x in (a + b, a - b, a * b):
        cells.append("overflow" if chk(x) is None else str(x))
    if b == 0:
        cells += ["div0", "div0"]
    elif not fits(tdiv(a, b), k):
        cells += ["overflow", "overflow"]
    else:
        cells += [str(tdiv(a, b)), str(trem(a, b))]
    cells += [str(wrap(a + b, k)), str(wrap(a - b, k)), str(wrap(a * b, k))]
    cells += [str(sat(a + b)), str(sat(a - b)), str(sat(a * b))]
    cdiv = None if b == 0 or not fits(tdiv(a, b), k) else tdiv(a, b)
    cells += [opt(chk(a + b)), opt(chk(a * b)), opt(cdiv)]
    cells += [str(x).lower() for x in (a < b, a <= b, a == b, a != b, a > b, a >= b)]
    cells += [str(a & b), str(a | b), str(a ^ b), str(min(a, b)), str(max(a, b))]
    return " ".join(cells)


def wide_arith_program(k):
    bits, s = INTS[k]
    vals = wide_values(k)
    src = ["// Generated by tests/gen/gen_exact.py: every operator and helper on `%s`," % k,
           "// on edge and random values; expected output computed in Python.",
           "fn or_overflow(x: Option<%s>, v: %s) -> str {" % (k, k),
           "    match x { Some(_) => to_string(v), None => \"overflow\" }", "}", "",
           "fn pair(a: %s, b: %s) {" % (k, k),
           "    let add = match checked_add(a, b) { Some(_) => to_string(a + b), None => \"overflow\" }",
           "    let sub = match checked_sub(a, b) { Some(_) => to_string(a - b), None => \"overflow\" }",
           "    let mul = match checked_mul(a, b) { Some(_) => to_string(a * b), None => \"overflow\" }",
           "    var div = \"div0\"",
           "    var rem = \"div0\"",
           "    if b != 0 {",
           "        div = match checked_div(a, b) { Some(_) => to_string(a / b), None => \"overflow\" }",
           "        rem = match checked_div(a, b) { Some(_) => to_string(a % b), None => \"overflow\" }",
           "    }",
           "    println(add, sub, mul, div, rem, wrapping_add(a, b), wrapping_sub(a, b), wrapping_mul(a, b),",
           "            saturating_add(a, b), saturating_sub(a, b), saturating_mul(a, b),",
           "            checked_add(a, b), checked_mul(a, b), checked_div(a, b),",
           "            a < b, a <= b, a == b, a != b, a > b, a >= b, a & b, a | b, a ^ b, min(a, b), max(a, b))",
           "}", "",
           "fn unary(a: %s) {" % k,
           "    var neg = \"overflow\"",
           "    if checked_sub(0, a).is_some() { neg = to_string(-a) }" if s else
           "    if a == 0 { neg = to_string(0) }",
           "    let sq = match checked_mul(a, a) { Some(_) => to_string(a ** 2), None => \"overflow\" }",
           "    println(neg, !a, sq, a << 0u32, a << 1u8, a << 63i32, a << 64u64, a << %du16, a >> 1u32, a >> 64u8, a >> %du32)"
           % (bits - 1, bits - 1),
           "}", ""]
    exp = []
    shifts = [0, 1, 63, 64, bits - 1]
    src.append("fn main() {")
    for a in vals:
        for b in vals:
            src.append("    pair(%d, %d)" % (a, b))
            exp.append(pair_line(a, b, k))
    for a in vals:
        src.append("    unary(%d)" % a)
        neg = str(-a) if fits(-a, k) else "overflow"
        sq = str(a * a) if fits(a * a, k) else "overflow"
        notv = str(wrap(~a, k))
        cells = [neg, notv, sq] + [str(wrap(a << n, k)) for n in shifts] + [str(a >> 1), str(a >> 64), str(a >> (bits - 1))]
        exp.append(" ".join(cells))
    # compound assignment, and powers
    src += ["    var acc: %s = 1" % k,
            "    for _ in 0..5 { acc *= 3; acc += 1; acc -= 1; acc <<= 2u8; acc >>= 1u8; acc |= 1; acc ^= 2; acc &= %d }" % hi(k),
            "    println(acc)"]
    acc = 1
    for _ in range(5):
        acc = acc * 3 + 1 - 1
        acc = wrap(acc << 2, k) >> 1
        acc = (acc | 1) ^ 2
        acc &= hi(k)
    exp.append(str(acc))
    p = 3 if k != "u256" else 5
    e = {"i128": 80, "u128": 80, "u256": 110}[k]
    src.append("    let p: %s = %d" % (k, p))
    src.append("    println(p ** %d, p ** 0, (p - %d) ** %d)" % (e, p, e))
    exp.append("%d 1 0" % p ** e)
    src.append("}")
    return "\n".join(src) + "\n", "\n".join(exp) + "\n"


# ---- casts -------------------------------------------------------------------------------

def int_cast_values(k):
    v = [0, 1, hi(k), lo(k), hi(k) // 3]
    if INTS[k][1]:
        v.append(-1)
    return sorted(set(v))


def cast_int_to(v, k_to):
    if k_to in INTS:
        return str(wrap(v, k_to))
    return shortest(round_to(v, k_to), k_to)


def float_to_int(x, k):
    if math.isnan(x):
        return 0
    if math.isinf(x):
        return hi(k) if x > 0 else lo(k)
    return min(max(math.trunc(x), lo(k)), hi(k))


def casts_program():
    src = ["// Generated by tests/gen/gen_exact.py: `as` between integer kinds, wide kinds",
           "// and every float kind (Rust's rules); expected output computed in Python.",
           "fn main() {"]
    exp = []
    kinds = list(INTS)
    floats = ["f16", "bf16", "f32", "f64"]
    for kf in kinds:
        for v in int_cast_values(kf):
            targets = [t for t in kinds + floats if (kf in WIDE or t in WIDE or t in ("f16", "bf16"))]
            src.append("    let x: %s = %d" % (kf, v))
            src.append("    println(%s)" % ", ".join("x as %s" % t for t in targets))
            exp.append(" ".join(cast_int_to(v, t) for t in targets))
    fvals = [0.0, -0.0, 1.5, -1.5, 3.99, -3.99, 255.5, 65504.0, 65520.0, 1e10, -1e10, 1e20, 3.4e38, 1e30, -1e30,
             1.7e38, 2.0 ** 127, 2.0 ** 128, 1e77, 1.2e77, 1e300, math.inf, -math.inf, 1.00390625000093132, 0.1,
             5.960464477539063e-08, 2.9802322387695312e-08, 1e-40]
    for x in fvals:
        src.append("    let d: f64 = %s" % ("1.0 / 0.0" if x == math.inf else "-1.0 / 0.0" if x == -math.inf else repr(x)))
        src.append("    let s = d as f32")
        src.append("    println(d as i128, d as u128, d as u256, d as f16, d as bf16, s as f16, s as bf16, s as u128, "
                   "(d as f16) as f64, (d as bf16) as f32, (d as f16) as u256, (d as bf16) as i128, (d as f16) as bf16)")
        s = round_to(x, "f32")
        h, b = round_to(x, "f16"), round_to(x, "bf16")
        exp.append(" ".join([str(float_to_int(x, "i128")), str(float_to_int(x, "u128")), str(float_to_int(x, "u256")),
                             shortest(h, "f16"), shortest(b, "bf16"), shortest(round_to(s, "f16"), "f16"),
                             shortest(round_to(s, "bf16"), "bf16"), str(float_to_int(s, "u128")),
                             shortest(h, "f64"), shortest(b, "f32"), str(float_to_int(h, "u256")),
                             str(float_to_int(b, "i128")), shortest(round_to(h, "bf16"), "bf16")]))
    src.append("    let n = 0.0 / 0.0")
    src.append("    println(n as i128, n as u256, n as f16, n as bf16)")
    exp.append("0 0 NaN NaN")
    src.append("}")
    return "\n".join(src) + "\n", "\n".join(exp) + "\n"


# ---- f16 / bf16 arithmetic ---------------------------------------------------------------------------

def half_values(f):
    base = [0.1, 0.2, 1.0, 3.0, -2.5, 0.333, 1000.0, 65504.0 if f == "f16" else 3.0e38, 6.1e-05, 1e-07, 7.0, -0.0]
    return [round_to(x, f) for x in base]


def half_op(a, b, op, f):
    """Computed in f32, rounded to f (what the VM and torch's CPU kernels do)."""
    fa, fb = np.float32(a), np.float32(b)
    with np.errstate(all="ignore"):
        r = {"+": fa + fb, "-": fa - fb, "*": fa * fb, "/": fa / fb, "%": np.fmod(fa, fb)}[op]
    return round_to(float(r), f)


def half_program(f):
    vals = half_values(f)
    src = ["// Generated by tests/gen/gen_exact.py: `%s` arithmetic (each result rounded" % f,
           "// to the type), comparisons, math functions and printing; expected output",
           "// computed in Python (numpy / torch agree: see check_against_libraries).",
           "fn show(a: %s, b: %s) {" % (f, f),
           "    println(a + b, a - b, a * b, a / b, a % b, a < b, a == b, a >= b, min(a, b), max(a, b))",
           "}", "", "fn main() {"]
    exp = []
    for a in vals:
        src.append("    let a: %s = %s" % (f, "-0.0" if a == 0 and math.copysign(1, a) < 0 else repr(a)))
        for b in vals[:8]:
            src.append("    show(a, %s)" % repr(b))
            cells = [shortest(half_op(a, b, o, f), f) for o in "+-*/%"]
            cells += [str(a < b).lower(), str(a == b).lower(), str(a >= b).lower(), shortest(min(b, a) if b < a else a, f),
                      shortest(b if a < b else a, f)]
            exp.append(" ".join(cells))
    src.append("    let xs: [%s] = [0.5, 2.0, 10.0, 0.1]" % f)
    src.append("    for x in xs { println(sqrt(x), exp(x), log(x), sin(x), tanh(x), floor(x * 3.0), abs(-x), x ** 3, pow(x, x)) }")
    for x in [0.5, 2.0, 10.0, 0.1]:
        x = round_to(x, f)
        fx = np.float32(x)

        def r32(v):
            return round_to(float(np.float32(v)), f)
        cells = [r32(math.sqrt(x)), r32(math.exp(x)), r32(math.log(x)), r32(math.sin(x)), r32(math.tanh(x)),
                 round_to(math.floor(half_op(x, 3.0, "*", f)), f), x,
                 round_to(float(np.float32(float(fx) ** 3)), f), round_to(float(np.float32(float(fx) ** float(fx))), f)]
        exp.append(" ".join(shortest(c, f) for c in cells))
    src.append("    println(xs, xs.sum(), sort(xs))")
    s = 0.0
    for x in [0.5, 2.0, 10.0, 0.1]:
        s = half_op(s, round_to(x, f), "+", f)
    xs = [round_to(x, f) for x in [0.5, 2.0, 10.0, 0.1]]
    exp.append("[%s] %s [%s]" % (", ".join(shortest(x, f) for x in xs), shortest(s, f), ", ".join(shortest(x, f) for x in sorted(xs))))
    src.append("    let t: %s = 0.1" % f)
    src.append("    println(format(\"[{:.3}] [{:>8}] [{:e}] {}\", t, t, t * 1000.0, to_string(t)))")
    t = round_to(0.1, f)
    m = half_op(t, 1000.0, "*", f)
    for p in range(17):
        sci = "%.*e" % (p, m)
        if round_to(Fraction(sci), f) == m:
            break
    mant, ex = sci.split("e")
    sci = mant + "e" + str(int(ex))
    exp.append("[%.3f] [%8s] [%s] %s" % (t, shortest(t, f), sci, shortest(t, f)))
    src.append("}")
    return "\n".join(src) + "\n", "\n".join(exp) + "\n"


# ---- wide values in containers -------------------------------------------------------------------------

def containers_program():
    m = hi("u256")
    src = ["// Generated by tests/gen/gen_exact.py: wide integers in arrays, tuples, structs,",
           "// enums, HashMap keys and values, closures and matches.",
           "struct Account { id: u128, balance: i128 }",
           "enum Big { Small(u8), Large(u256), Pair(i128, u128) }", "",
           "fn describe(b: Big) -> str {",
           "    match b {",
           "        Big::Small(x) => format(\"small {}\", x),",
           "        Big::Large(0) => \"large zero\",",
           "        Big::Large(x) => format(\"large {}\", x),",
           "        Big::Pair(a, b) => format(\"pair {} {}\", a, b),",
           "    }",
           "}", "",
           "fn main() {",
           "    let xs: [u256] = [%d, 0, 12345678901234567890123456789, 1]" % m,
           "    let small: [u256] = [1 << 200u32, 5, 6]",
           "    println(xs, small.sum(), sort(xs), len(xs), xs[2] + 1)",
           "    var ys = xs",
           "    ys[1] = 99",
           "    ys.push(7)",
           "    println(xs, ys, xs == ys, ys.contains(99))",
           "    let acct = Account { id: 340282366920938463463374607431768211455, balance: -170141183460469231731687303715884105728 }",
           "    println(acct.id, acct.balance + 1, (acct.id, acct.balance))",
           "    for b in [Big::Small(3), Big::Large(0), Big::Large(%d), Big::Pair(-5, 6)] { println(describe(b)) }" % m,
           "    var m: HashMap<u256, i128> = hashmap()",
           "    m = hashmap_insert(m, %d, -1)" % m,
           "    m = hashmap_insert(m, 1 << 200u32, 2)",
           "    m = hashmap_insert(m, %d, 3)" % m,
           "    println(m, hashmap_get(m, 1 << 200u32), hashmap_get(m, 5), len(m))",
           "    let k: i128 = 1 << 100u8",
           "    let add_k = |x: i128| x + k",
           "    println(add_k(1), [1, 2, 3].map(|i: i128| i * k))",
           "    let r = match k { 0 => \"zero\", 1..=1000 => \"small\", _ => \"huge\" }",
           "    println(r, max(k, -k), min(k, -k), abs(-k), abs(k) == k)",
           "    assert_eq(k * 2, k + k)",
           "}"]
    k = 1 << 100
    xs = [m, 0, 12345678901234567890123456789, 1]
    ys = [m, 99, 12345678901234567890123456789, 1, 7]
    fmt = lambda a: "[" + ", ".join(str(x) for x in a) + "]"
    exp = ["%s %d %s 4 12345678901234567890123456790" % (fmt(xs), (1 << 200) + 11, fmt(sorted(xs))),
           "%s %s false true" % (fmt(xs), fmt(ys)),
           "%d %d (%d, %d)" % (hi("u128"), lo("i128") + 1, hi("u128"), lo("i128")),
           "small 3", "large zero", "large %d" % m, "pair -5 6",
           "{%d: 3, %d: 2} Some(2) None 2" % (m, 1 << 200),
           "%d [%d, %d, %d]" % (k + 1, k, 2 * k, 3 * k),
           "huge %d %d %d true" % (k, -k, k)]
    return "\n".join(src) + "\n", "\n".join(exp) + "\n"


# ---- runtime errors ---------------------------------------------------------------------------------------

def runtime_error(name, decl, before, expr, message):
    """A program that prints `before` and then fails at `expr` (line 5)."""
    path = "tests/runtime_errors/%s.vx" % name
    src = "// Generated by tests/gen/gen_exact.py.\nfn main() {\n%s\n    println(%s)\n    println(%s)\n}\n" % (decl, before[0], expr)
    assert decl.count("\n") == 0
    col = len("    println(") + 1
    err = ("error: %s\n --> %s:5:%d\n  |\n5 |     println(%s)\n  |             %s\n  |\n"
           "  = note: stack trace, innermost call first:\n        main at %s:5:%d\n\n") % (
        message, path, col, expr, "^" * len(expr), path, col)
    return {path: src, path[:-3] + ".err": err, path[:-3] + ".out": before[1] + "\n"}


def runtime_errors():
    m256, m128, i128min = hi("u256"), hi("u128"), lo("i128")
    files = {}
    cases = [
        ("150_u256_add_overflow", "    let a: u256 = %d" % m256, ("a - 1", str(m256 - 1)), "a + 1",
         "integer overflow: %d + 1 does not fit in `u256`" % m256),
        ("151_i128_min_div_minus_one", "    let a: i128 = %d" % i128min, ("a / 1", str(i128min)), "a / -1",
         "integer overflow: %d / -1 does not fit in `i128`" % i128min),
        ("152_u128_divide_by_zero", "    let z: u128 = 0", ("z + 1", "1"), "5 / z", "attempt to divide by zero"),
        ("153_i128_shift_out_of_range", "    let n: u32 = 128", ("1i128 << (n - 1)", str(lo("i128"))), "1i128 << n",
         "shift by 128 is out of range for `i128`"),
        ("154_u256_remainder_by_zero", "    let z: u256 = 0", ("z", "0"), "7 % z", "attempt to take the remainder by zero"),
        ("155_i128_negate_min", "    let a: i128 = %d" % i128min, ("-(a + 1)", str(-(i128min + 1))), "-a",
         "integer overflow: -(%d) does not fit in `i128`" % i128min),
        ("156_u128_multiply_overflow", "    let a: u128 = %d" % (1 << 64), ("a * (a - 1)", str((1 << 64) * ((1 << 64) - 1))),
         "a * a", "integer overflow: %d * %d does not fit in `u128`" % (1 << 64, 1 << 64)),
        ("157_wide_shift_amount", "    let n: u128 = %d" % (1 << 70), ("1u8 << 7u128", "128"), "1u8 << n",
         "shift by %d is out of range for `u8`" % (1 << 70)),
        ("158_i128_abs_min", "    let a: i128 = %d" % i128min, ("abs(a + 1)", str(-(i128min + 1))), "abs(a)",
         "integer overflow: -(%d) does not fit in `i128`" % i128min),
        ("159_u256_pow_overflow", "    let a: u256 = 2", ("a ** 255", str(2 ** 255)), "a ** 256",
         "integer overflow: 2 ** 256 does not fit in `u256`"),
        ("160_u128_subtract_underflow", "    let a: u128 = 0", ("a + %d" % m128, str(m128)), "a - 1",
         "integer overflow: 0 - 1 does not fit in `u128`"),
    ]
    for c in cases:
        files.update(runtime_error(*c))
    return files


def fib_out():
    lines = []
    f = [0, 1]
    while len(f) < 400:
        f.append(f[-1] + f[-2])
    for n in [0, 1, 2, 10, 20]:
        lines.append("fib_rec(%d) = %d" % (n, f[n]))
    assert f[92] < 2 ** 63 <= f[93] and f[370] < 2 ** 256 <= f[371]
    lines.append("fib(92) = %d (largest in i64)" % f[92])
    lines.append("fib(370) = %d (largest in u256)" % f[370])
    lines.append("fib(371) would overflow: %s" % str(f[369] > 2 ** 256 - 1 - f[370]).lower())
    return "\n".join(lines) + "\n"


def main():
    check_against_libraries()
    files = {}
    for n, k in zip((150, 151, 152), WIDE):
        src, out = wide_arith_program(k)
        files["tests/run/%d_wide_arith_%s.vx" % (n, k)] = src
        files["tests/run/%d_wide_arith_%s.out" % (n, k)] = out
    src, out = casts_program()
    files["tests/run/153_wide_half_casts.vx"], files["tests/run/153_wide_half_casts.out"] = src, out
    for n, f in ((154, "f16"), (155, "bf16")):
        src, out = half_program(f)
        files["tests/run/%d_half_%s.vx" % (n, f)], files["tests/run/%d_half_%s.out" % (n, f)] = src, out
    src, out = containers_program()
    files["tests/run/156_wide_containers.vx"], files["tests/run/156_wide_containers.out"] = src, out
    files.update(runtime_errors())
    files["examples/fib.out"] = fib_out()
    for path, text in files.items():
        with open(os.path.join(ROOT, path), "w") as fh:
            fh.write(text)
    print("wrote %d files" % len(files))


if __name__ == "__main__":
    main()
