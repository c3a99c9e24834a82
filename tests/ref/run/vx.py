"""vx.py - print values as `vortex run` does, for the Python twins of tests/run programs.

Each tests/ref/run/NNN_name.py prints what tests/run/NNN_name.vx must print:
    python3 tests/ref/run/NNN_name.py | diff - tests/run/NNN_name.out
check.sh runs all of them.  Floats use Python's repr (the same shortest round-trip form)."""
import math


def show(x, nested=False):
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, float):
        if math.isnan(x):
            return "NaN"
        if math.isinf(x):
            return "inf" if x > 0 else "-inf"
        return repr(x)
    if isinstance(x, str):
        return '"' + x.replace("\\", "\\\\").replace('"', '\\"') + '"' if nested else x
    if isinstance(x, list):
        return "[" + ", ".join(show(v, True) for v in x) + "]"
    if isinstance(x, tuple):
        return "(" + ", ".join(show(v, True) for v in x) + ")"
    if isinstance(x, dict):
        return "{" + ", ".join(show(k, True) + ": " + show(v, True) for k, v in x.items()) + "}"
    return str(x)


def println(*args):
    print(" ".join(show(a) for a in args))


def tdiv(a, b):
    """Integer division truncating toward zero, as Vortex's (and Rust's) `/`."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def tmod(a, b):
    """`%`: the remainder takes the dividend's sign."""
    return a - b * tdiv(a, b)


def fmt_e(x):
    """`{:e}` as Rust writes it: the shortest digits, `e`, the exponent (`1.5e-7`, `0e0`)."""
    sign = "-" if math.copysign(1.0, x) < 0 else ""
    if x == 0:
        return sign + "0e0"
    mant, _, exp = repr(abs(x)).partition("e")
    point = mant.index(".") if "." in mant else len(mant)
    digits = mant.replace(".", "")
    stripped = digits.lstrip("0")
    e10 = point - (len(digits) - len(stripped)) - 1 + int(exp or 0)
    d = stripped.rstrip("0") or "0"
    return sign + d[0] + ("." + d[1:] if len(d) > 1 else "") + "e" + str(e10)
