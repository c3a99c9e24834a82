"""ops_core.py - the op registry for src/tensor/tensor.h: one Case per
(op, input configuration); each runs in every dtype it lists."""
import math
import torch
import torch.nn.functional as TF

import vx
from vx import F32, F64, BF16, F16, I32, I64, U8, BOOL, shape_arg, dims_arg
from harness import Case, Inp

FL = (F32, F64)
ALLF = (F32, F64, BF16, F16)
INTS = (I32, I64, U8)

# Input configurations for binary ops: odd sizes, broadcasting, 0-dim,
# non-contiguous views (transposed, strided slices, expanded).
BIN_SHAPES = [
    ("same", lambda k0, k1: [Inp([3, 5, 7], k0), Inp([3, 5, 7], k1)]),
    ("bcast", lambda k0, k1: [Inp([4, 1, 3], k0), Inp([5, 1], k1)]),
    ("0-dim", lambda k0, k1: [Inp([], k0), Inp([2, 3], k1)]),
    ("rank", lambda k0, k1: [Inp([2, 3, 4], k0), Inp([4], k1)]),
    ("transposed", lambda k0, k1: [Inp([5, 3], k0, view=[("T", 0, 1)]),
                                   Inp([3, 10], k1, view=[("slice", 1, 0, 10, 2)])]),
    ("expanded", lambda k0, k1: [Inp([3, 1], k0, view=[("expand", [3, 4])]),
                                 Inp([4, 3], k1, view=[("perm", [1, 0])])]),
]
BIN_KINDS = {"add": ("normal", "normal"), "sub": ("normal", "normal"),
             "mul": ("normal", "normal"), "div": ("normal", "away0"),
             "pow": ("pos", "normal"), "maximum": ("normal", "normal"),
             "minimum": ("normal", "normal")}
TH_BIN = {"add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
          "pow": torch.pow, "maximum": torch.maximum, "minimum": torch.minimum,
          "eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le,
          "gt": torch.gt, "ge": torch.ge}


def binop(name):
    return lambda S, xs: S.call(name, xs[0], xs[1])


def scalar_th(name, s):
    if name in ("maximum", "minimum"):
        return lambda xs: TH_BIN[name](xs[0], torch.tensor(s, dtype=xs[0].dtype))
    return lambda xs: TH_BIN[name](xs[0], s)


def binary_cases():
    out = []
    for name, (k0, k1) in BIN_KINDS.items():
        for label, mk in BIN_SHAPES:
            out.append(Case("binary", "%s %s" % (name, label), binop(name),
                            (lambda f: lambda xs: f(xs[0], xs[1]))(TH_BIN[name]),
                            mk(k0, k1), dtypes=ALLF))
        s = 1.5 if name == "pow" else -0.75
        for inp in (Inp([3, 5, 7], k0), Inp([6, 5], k0, view=[("T", 0, 1)])):
            out.append(Case("binary-scalar", "%s_s %g" % (name, s),
                            (lambda n, v: lambda S, xs: S.call(n + "_s", xs[0], v))(name, s),
                            scalar_th(name, s), [inp], dtypes=ALLF))
        if name == "pow":
            continue
        ik1 = "uint" if name == "div" else "int"
        out.append(Case("binary-int", "%s same" % name, binop(name),
                        (lambda f: lambda xs: f(xs[0], xs[1]))(TH_BIN[name]),
                        [Inp([3, 5, 7]), Inp([3, 5, 7], ik1)], dtypes=INTS))
    # pow of integers stays integer, as torch's (tensor.h).
    out.append(Case("binary-int", "pow ints stay ints", binop("pow"),
                    lambda xs: torch.pow(xs[0], xs[1]),
                    [Inp([4, 5], "uint"), Inp([4, 5], "uint")], dtypes=(I32, I64)))
    # Integer overflow wraps, as in torch (two's complement, mod 2^8 for u8).
    for name in ("add", "sub", "mul"):
        th = (lambda f: lambda xs: f(xs[0], xs[1]))(TH_BIN[name])
        out.append(Case("binary-int", "%s wraps" % name, binop(name), th,
                        [Inp([40], "byte"), Inp([40], "byte")], dtypes=(U8,)))
        out.append(Case("binary-int", "%s wraps" % name, binop(name), th,
                        [Inp([40], "big"), Inp([40], "big")], dtypes=(I32,)))
    # Empty tensors broadcast and give empty results.
    for name in ("add", "mul", "maximum"):
        out.append(Case("binary", "%s empty" % name, binop(name),
                        (lambda f: lambda xs: f(xs[0], xs[1]))(TH_BIN[name]),
                        [Inp([0, 3]), Inp([3])], dtypes=FL + (I32,)))
    out += promotion_cases()
    return out


def promotion_cases():
    pairs = [(I32, F32), (U8, I64), (BOOL, I32), (F32, F64), (U8, I32), (I64, F32),
             (BOOL, F64), (BF16, F32), (F16, F64), (U8, BOOL)]
    out = []
    for a, b in pairs:
        for name in ("add", "mul", "maximum"):
            out.append(Case("promotion", "%s %s+%s" % (name, vx.NAMES[a], vx.NAMES[b]),
                            binop(name), (lambda f: lambda xs: f(xs[0], xs[1]))(TH_BIN[name]),
                            [Inp([3, 4], "int", dtype=a), Inp([4], "int", dtype=b)],
                            dtypes=(F32,), grad=False))
    # bf16 with f16 gives f32 (computed from the exact 16-bit values).
    out.append(Case("promotion", "add bf16+f16", binop("add"),
                    lambda xs: xs[0].float() + xs[1].float(),
                    [Inp([3, 4], dtype=BF16), Inp([3, 4], dtype=F16)], dtypes=(F32,),
                    grad=False, out_dtype=F32))
    # Python-number semantics of the _s forms.
    out.append(Case("promotion", "mul_s i32*2.5 -> f32",
                    lambda S, xs: S.call("mul_s", xs[0], 2.5), lambda xs: xs[0] * 2.5,
                    [Inp([3, 4])], dtypes=(I32, I64, U8)))
    out.append(Case("promotion", "add_s i32+3 stays int",
                    lambda S, xs: S.call("add_s", xs[0], 3.0), lambda xs: xs[0] + 3,
                    [Inp([3, 4])], dtypes=(I32, I64, U8)))
    out.append(Case("promotion", "mul_s f16*2.5 stays f16",
                    lambda S, xs: S.call("mul_s", xs[0], 2.5), lambda xs: xs[0] * 2.5,
                    [Inp([3, 4])], dtypes=(F16, BF16)))
    out.append(Case("promotion", "div ints -> f32", binop("div"),
                    lambda xs: xs[0] / xs[1], [Inp([3, 4], "int"), Inp([3, 4], "away0")],
                    dtypes=(I32, I64)))
    return out


def compare_cases():
    out = []
    for name in vx.COMPARE:
        f = TH_BIN[name]
        th = (lambda g: lambda xs: g(xs[0], xs[1]))(f)
        out.append(Case("compare", name + " f ties", binop(name), th,
                        [Inp([3, 5, 7], "ties"), Inp([3, 5, 7], "ties")], dtypes=FL + (BF16,),
                        grad=False))
        out.append(Case("compare", name + " bcast", binop(name), th,
                        [Inp([4, 1, 3], "ties"), Inp([5, 1], "ties", view=[])], dtypes=FL + INTS,
                        grad=False))
        out.append(Case("compare", name + " strided", binop(name), th,
                        [Inp([5, 3], "ties", view=[("T", 0, 1)]), Inp([3, 5], "ties")],
                        dtypes=(I32, F32), grad=False))
        out.append(Case("compare", name + " mixed i32/f64", binop(name), th,
                        [Inp([3, 4], "ties", dtype=I32), Inp([4], "ties", dtype=F64)],
                        dtypes=(F32,), grad=False))
        out.append(Case("compare", name + "_s", (lambda n: lambda S, xs: S.call(n + "_s", xs[0], 1.0))(name),
                        (lambda g: lambda xs: g(xs[0], 1.0))(f), [Inp([4, 6], "ties")],
                        dtypes=FL + INTS, grad=False))
    out.append(Case("compare", "eq bool", binop("eq"), lambda xs: xs[0] == xs[1],
                    [Inp([3, 4]), Inp([3, 4])], dtypes=(BOOL,), grad=False))
    return out


def where_cases():
    w = lambda S, xs: S.call("where", xs[0], xs[1], xs[2])
    tw = lambda xs: torch.where(xs[0], xs[1], xs[2])
    return [
        Case("where", "where same", w, tw, [Inp([3, 5, 7], dtype=BOOL), Inp([3, 5, 7]), Inp([3, 5, 7])]),
        Case("where", "where bcast", w, tw, [Inp([3, 1], dtype=BOOL), Inp([3, 4]), Inp([4])]),
        Case("where", "where strided", w, tw,
             [Inp([4, 3], dtype=BOOL, view=[("T", 0, 1)]), Inp([3, 8], view=[("slice", 1, 1, 8, 2)]),
              Inp([])]),
        Case("where", "where ints", w, tw, [Inp([3, 4], dtype=BOOL), Inp([3, 4]), Inp([3, 4])],
             dtypes=(I32, I64)),
        Case("where", "where bf16", w, tw, [Inp([3, 4], dtype=BOOL), Inp([3, 4]), Inp([1])],
             dtypes=(BF16, F16)),
    ]


UNARY_TH = {"neg": torch.neg, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
            "rsqrt": torch.rsqrt, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
            "relu": torch.relu, "gelu": TF.gelu, "gelu_tanh": lambda x: TF.gelu(x, approximate="tanh"),
            "silu": TF.silu, "softplus": TF.softplus, "abs": torch.abs}
UNARY_KIND = {"log": "pos", "sqrt": "pos", "rsqrt": "pos", "relu": "away0", "abs": "away0",
              "exp": "wide", "tanh": "wide", "sigmoid": "wide", "gelu": "wide",
              "gelu_tanh": "wide", "silu": "wide", "softplus": "wide"}


def unary_cases():
    out = []
    for name in vx.UNARY:
        k = UNARY_KIND.get(name, "normal")
        f = UNARY_TH[name]
        vxf = (lambda n: lambda S, xs: S.call(n, xs[0]))(name)
        th = (lambda g: lambda xs: g(xs[0]))(f)
        for inp in (Inp([3, 5, 7], k), Inp([6, 5], k, view=[("T", 0, 1)]),
                    Inp([4, 9], k, view=[("slice", 1, 1, 8, 3)]), Inp([], k)):
            out.append(Case("unary", name, vxf, th, [inp], dtypes=ALLF))
        keeps = name in ("neg", "abs", "relu")
        out.append(Case("unary-int", name, vxf,
                        (lambda g: lambda xs: g(xs[0]))(f) if keeps else
                        (lambda g: lambda xs: g(xs[0].float()))(f),
                        [Inp([4, 5], "uint" if name in ("log", "sqrt", "rsqrt") else "int")],
                        dtypes=(I32, I64) if name == "neg" else INTS, grad=False,
                        out_dtype=None if keeps else F32))
    for lo, hi in ((-0.5, 0.7), (-math.inf, 0.3), (-0.2, math.inf)):
        vxf = (lambda a, b: lambda S, xs: S.call("clamp", xs[0], a, b))(lo, hi)
        th = (lambda a, b: lambda xs: torch.clamp(xs[0], None if a == -math.inf else a,
                                                   None if b == math.inf else b))(lo, hi)
        for inp in (Inp([3, 5, 7]), Inp([6, 5], view=[("T", 0, 1)])):
            out.append(Case("unary", "clamp(%g, %g)" % (lo, hi), vxf, th, [inp], dtypes=ALLF))
        out.append(Case("unary-int", "clamp(%g, %g)" % (lo * 4, hi * 4),
                        (lambda a, b: lambda S, xs: S.call("clamp", xs[0], a, b))(lo * 4, hi * 4),
                        (lambda a, b: lambda xs: torch.clamp(xs[0], None if a == -math.inf else a,
                                                             None if b == math.inf else b))(
                            int(lo * 4) if lo > -math.inf else lo, int(hi * 4) if hi < math.inf else hi),
                        [Inp([4, 5])], dtypes=(I32, I64), grad=False))
    return out


# ---- reductions --------------------------------------------------------------------
def th_reduce(name, dims, keepdim, corr=None):
    def f(xs):
        x = xs[0]
        nd = x.dim()
        alld = tuple(range(nd))
        if name in ("sum", "mean"):
            g = getattr(x, name)
            return g() if dims is None and not keepdim else g(dim=alld if dims is None else tuple(dims),
                                                              keepdim=keepdim)
        if name == "prod":
            if dims is None and not keepdim:
                return x.prod()
            for d in sorted([d % nd for d in (alld if dims is None else dims)], reverse=True):
                x = x.prod(d, keepdim=keepdim)
            return x
        if name in ("max", "min") and dims is None and not keepdim:
            return x.max() if name == "max" else x.min()    # MaxBackward1, like Vortex
        if name in ("max", "min"):
            g = torch.amax if name == "max" else torch.amin
            return g(x, dim=alld if dims is None else tuple(dims), keepdim=keepdim)
        if name == "logsumexp":
            return torch.logsumexp(x, dim=alld if dims is None else tuple(dims), keepdim=keepdim)
        if name in ("argmax", "argmin"):
            g = torch.argmax if name == "argmax" else torch.argmin
            return g(x) if dims is None else g(x, dim=dims[0], keepdim=keepdim)
        if name in ("var", "std"):
            g = torch.var if name == "var" else torch.std
            return g(x, dim=None if dims is None else tuple(dims), correction=corr, keepdim=keepdim)
        raise ValueError(name)
    return f


def vx_reduce(name, dims, keepdim, corr=None):
    def f(S, xs):
        d, n = dims_arg(dims)
        if name in ("var", "std"):
            return S.call(name, xs[0], d, n, corr, keepdim)
        return S.call(name, xs[0], d, n, keepdim)
    return f


RED_DIMS = [(None, False), (None, True), ([1], False), ([-1], True), ([0, 2], False),
            ([2, 0], True)]


def reduce_cases():
    out = []
    inputs = [Inp([3, 5, 7]), Inp([7, 5, 3], view=[("perm", [2, 1, 0])])]
    for name in ("sum", "mean", "prod", "max", "min", "logsumexp", "var", "std"):
        corrs = (0, 1) if name in ("var", "std") else (None,)
        for corr in corrs:
            for dims, kd in RED_DIMS:
                for inp in inputs:
                    kind = "pos" if name == "prod" else "normal"
                    inp = Inp(inp.shape, kind, view=inp.view)
                    # torch has no all-dims keepdim form: its grad_fn name is moot there.
                    gfn = not (dims is None and kd)
                    label = "%s dims=%s keepdim=%s%s" % (name, dims, kd,
                                                          "" if corr is None else " correction=%d" % corr)
                    out.append(Case("reduce", label, vx_reduce(name, dims, kd, corr),
                                    th_reduce(name, dims, kd, corr), [inp],
                                    dtypes=ALLF if inp.view == [] else FL, gfn=gfn,
                                    tol={F32: (1e-4, 1e-5), F64: (1e-10, 1e-12),
                                         BF16: (1.6e-2, 1e-3), F16: (2e-3, 1e-5)}))
    for name in ("argmax", "argmin"):
        for dims, kd in ((None, False), ([0], False), ([1], True), ([-1], False)):
            for inp in inputs:
                out.append(Case("reduce", "%s dims=%s keepdim=%s" % (name, dims, kd),
                                vx_reduce(name, dims, kd), th_reduce(name, dims, kd), [inp],
                                dtypes=FL + (I32,), grad=False))
    # Long rows (accumulation), huge values (logsumexp must be stable).
    for name in ("sum", "mean", "var", "logsumexp", "max"):
        out.append(Case("reduce", "%s long rows" % name, vx_reduce(name, [-1], False, 1),
                        th_reduce(name, [-1], False, 1), [Inp([3, 2000])], gfn=False,
                        tol={F32: (1e-4, 1e-4), F64: (1e-10, 1e-11)}))
    out.append(Case("reduce", "logsumexp huge values", vx_reduce("logsumexp", [1], False),
                    th_reduce("logsumexp", [1], False), [Inp([4, 9], "huge")]))
    # Ties: max/min gradient split evenly between equal maxima (like amax).
    for name in ("max", "min"):
        for dims in ([1], None):
            out.append(Case("reduce", "%s ties dims=%s" % (name, dims), vx_reduce(name, dims, False),
                            th_reduce(name, dims, False), [Inp([4, 6], "ties")], fd=False))
    # Integer and bool inputs: sums and products widen to i64 like torch.
    for name in ("sum", "prod", "max", "min"):
        out.append(Case("reduce-int", "%s dims=[1]" % name, vx_reduce(name, [1], False),
                        th_reduce(name, [1], False), [Inp([4, 6], "int")], dtypes=(I32, I64, U8)
                        if name != "prod" else (I32, I64), grad=False))
        out.append(Case("reduce-int", "%s all" % name, vx_reduce(name, None, False),
                        th_reduce(name, None, False), [Inp([4, 6], "int")], dtypes=(I32, I64),
                        grad=False))
    out.append(Case("reduce-int", "sum bool", vx_reduce("sum", None, False), th_reduce("sum", None, False),
                    [Inp([4, 6])], dtypes=(BOOL,), grad=False))
    # Empty reductions: sum 0, prod 1, mean NaN.
    for name in ("sum", "prod", "mean"):
        out.append(Case("reduce", "%s over an empty dim" % name, vx_reduce(name, [0], False),
                        th_reduce(name, [0], False), [Inp([0, 3])], gfn=False))
    for src, dst in (([4, 5, 3], [5, 1]), ([2, 3], [1, 3]), ([2, 3, 4], [4]), ([3, 4], [3, 4])):
        out.append(Case("reduce", "sum_to_shape %s" % dst,
                        (lambda d: lambda S, xs: S.call("sum_to_shape", xs[0], *shape_arg(d)))(dst),
                        (lambda d: lambda xs: xs[0].sum_to_size(*d))(dst), [Inp(src)], gfn=False))
    return out


def matmul_cases():
    mm = lambda S, xs: S.call("matmul", xs[0], xs[1])
    tm = lambda xs: torch.matmul(xs[0], xs[1])
    cfg = [([7], [7]), ([3, 5], [5]), ([5], [5, 4]), ([3, 5], [5, 4]), ([2, 3, 5], [2, 5, 4]),
           ([2, 3, 5], [5, 4]), ([2, 1, 3, 5], [4, 5, 2]), ([5], [2, 5, 3]), ([2, 3, 5], [5]),
           ([1, 1], [1, 1]), ([3, 0], [0, 2])]
    out = [Case("matmul", "matmul", mm, tm, [Inp(a), Inp(b)], dtypes=ALLF, gfn=False,
                tol={F32: (1e-4, 1e-5), F64: (1e-10, 1e-12), BF16: (1.6e-2, 1e-2),
                     F16: (2e-3, 1e-3)}) for a, b in cfg]
    out.append(Case("matmul", "matmul transposed", mm, tm,
                    [Inp([5, 3], view=[("T", 0, 1)]), Inp([4, 5], view=[("T", 0, 1)])], gfn=False))
    out.append(Case("matmul", "matmul strided", mm, tm,
                    [Inp([3, 10], view=[("slice", 1, 0, 10, 2)]), Inp([2, 5, 4], view=[("sel", 0, 1)])],
                    gfn=False))
    out.append(Case("matmul", "matmul batch permuted", mm, tm,
                    [Inp([3, 2, 5], view=[("perm", [1, 0, 2])]), Inp([2, 4, 5], view=[("T", 1, 2)])],
                    gfn=False))
    out.append(Case("matmul", "matmul expanded", mm, tm,
                    [Inp([1, 3, 5], view=[("expand", [2, 3, 5])]), Inp([5, 4])], gfn=False))
    for a, b in (([64, 130], [130, 70]), ([3, 33, 65], [65, 17]), ([200], [200, 3])):
        out.append(Case("matmul", "matmul large", mm, tm, [Inp(a), Inp(b)], gfn=False,
                        tol={F32: (1e-4, 1e-4), F64: (1e-10, 1e-11)}))
    out.append(Case("matmul", "matmul ints", mm, tm, [Inp([3, 4]), Inp([4, 2])], dtypes=(I32, I64),
                    grad=False))
    return out


# ---- views ---------------------------------------------------------------------------
def v(name, *args):
    return lambda S, xs: S.call(name, xs[0], *args)


VIEWS = [
    ("transpose(0,2)", v("transpose", 0, 2), lambda x: x.transpose(0, 2), [3, 5, 7]),
    ("transpose(-1,-2)", v("transpose", -1, -2), lambda x: x.transpose(-1, -2), [3, 5, 7]),
    ("permute(2,0,1)", v("permute", *dims_arg([2, 0, 1])), lambda x: x.permute(2, 0, 1), [3, 5, 7]),
    ("permute(-1,0,1)", v("permute", *dims_arg([-1, 0, 1])), lambda x: x.permute(-1, 0, 1), [3, 5, 7]),
    ("slice(1,1,6,2)", v("slice", 1, 1, 6, 2), lambda x: x[:, 1:6:2], [6, 7]),
    ("slice(0,-4,100,3)", v("slice", 0, -4, 100, 3), lambda x: x[-4:100:3], [6, 7]),
    ("slice(1,-100,-2,1)", v("slice", 1, -100, -2, 1), lambda x: x[:, -100:-2], [6, 7]),
    ("slice(1,5,2,1) empty", v("slice", 1, 5, 2, 1), lambda x: x[:, 5:2], [6, 7]),
    ("select(1,2)", v("select", 1, 2), lambda x: x.select(1, 2), [3, 5, 7]),
    ("select(-1,-1)", v("select", -1, -1), lambda x: x.select(-1, -1), [3, 5, 7]),
    ("select(0,1) to 0-dim", v("select", 0, 1), lambda x: x.select(0, 1), [3]),
    ("reshape [15,7]", v("reshape", *shape_arg([15, 7])), lambda x: x.reshape(15, 7), [3, 5, 7]),
    ("reshape [-1,5]", v("reshape", *shape_arg([-1, 5])), lambda x: x.reshape(-1, 5), [3, 5, 7]),
    ("reshape [] of [1,1]", v("reshape", *shape_arg([])), lambda x: x.reshape(()), [1, 1]),
    ("view [3,35]", v("view", *shape_arg([3, 35])), lambda x: x.view(3, 35), [3, 5, 7]),
    ("view [7,-1,1]", v("view", *shape_arg([7, -1, 1])), lambda x: x.view(7, -1, 1), [3, 5, 7]),
    ("expand [3,4]", v("expand", *shape_arg([3, 4])), lambda x: x.expand(3, 4), [3, 1]),
    ("expand [2,3,4]", v("expand", *shape_arg([2, 3, 4])), lambda x: x.expand(2, 3, 4), [1, 4]),
    ("expand [-1,5]", v("expand", *shape_arg([-1, 5])), lambda x: x.expand(-1, 5), [3, 1]),
    ("squeeze(1)", v("squeeze", 1), lambda x: x.squeeze(1), [3, 1, 5]),
    ("squeeze(0) no-op", v("squeeze", 0), lambda x: x.squeeze(0), [3, 1, 5]),
    ("squeeze_all", v("squeeze_all"), lambda x: x.squeeze(), [1, 3, 1, 5, 1]),
    ("unsqueeze(0)", v("unsqueeze", 0), lambda x: x.unsqueeze(0), [3, 5]),
    ("unsqueeze(2)", v("unsqueeze", 2), lambda x: x.unsqueeze(2), [3, 5]),
    ("unsqueeze(-1)", v("unsqueeze", -1), lambda x: x.unsqueeze(-1), [3, 5]),
    ("contiguous", v("contiguous"), lambda x: x.contiguous(), [3, 5]),
    ("clone", v("clone"), lambda x: x.clone(), [3, 5]),
]
# The same views on inputs that are already views.
VIEWS_ON_VIEWS = [
    ("contiguous of transposed", v("contiguous"), lambda x: x.contiguous(), [5, 3], [("T", 0, 1)]),
    ("reshape of transposed (copies)", v("reshape", *shape_arg([15])), lambda x: x.reshape(15),
     [5, 3], [("T", 0, 1)]),
    ("transpose of slice", v("transpose", 0, 1), lambda x: x.transpose(0, 1), [6, 7],
     [("slice", 1, 1, 7, 2)]),
    ("select of permuted", v("select", 1, 1), lambda x: x.select(1, 1), [3, 5, 7],
     [("perm", [2, 0, 1])]),
    ("slice of slice", v("slice", 0, 1, 4, 2), lambda x: x[1:4:2], [9, 4], [("slice", 0, 2, 9, 1)]),
    ("unsqueeze of transposed", v("unsqueeze", 1), lambda x: x.unsqueeze(1), [5, 3], [("T", 0, 1)]),
    ("expand of selected", v("expand", *shape_arg([4, 5])), lambda x: x.expand(4, 5), [5, 3],
     [("sel", 1, 2)]),
    ("view of sliced rows", v("view", *shape_arg([2, 2, 7])), lambda x: x.view(2, 2, 7), [6, 7],
     [("slice", 0, 1, 5, 1)]),
    ("clone of transposed", v("clone"), lambda x: x.clone(), [5, 3], [("T", 0, 1)]),
]


def view_cases():
    out = []
    for name, vxf, thf, shape in VIEWS:
        out.append(Case("views", name, vxf, (lambda g: lambda xs: g(xs[0]))(thf), [Inp(shape)],
                        dtypes=FL + (I64, BF16), views=True))
    for name, vxf, thf, shape, pre in VIEWS_ON_VIEWS:
        out.append(Case("views", name, vxf, (lambda g: lambda xs: g(xs[0]))(thf),
                        [Inp(shape, view=pre)], dtypes=FL + (BOOL,), views=True))
    return out


# ---- dtype conversion ------------------------------------------------------------------
def to_cases():
    out = []
    conv = lambda d: lambda S, xs: S.call("to", xs[0], d)
    exact = {F32: (0, 0), F64: (0, 0), BF16: (0, 0), F16: (0, 0)}
    for src in (F32, F64):
        for dst in (BF16, F16, F32, F64):
            out.append(Case("to", "%s -> %s specials" % (vx.NAMES[src], vx.NAMES[dst]), conv(dst),
                            (lambda d: lambda xs: xs[0].to(vx.TORCH[d]))(dst), [Inp([64], "special")],
                            dtypes=(src,), grad=False, tol=exact, out_dtype=dst))
    for src in (BF16, F16):
        for dst in (F32, F64, BF16, F16):
            out.append(Case("to", "%s -> %s" % (vx.NAMES[src], vx.NAMES[dst]), conv(dst),
                            (lambda d: lambda xs: xs[0].to(vx.TORCH[d]))(dst), [Inp([64], "special")],
                            dtypes=(src,), grad=False, tol=exact, out_dtype=dst, native=True))
    for src, dst, kind in ((F32, I32, "wide"), (F64, I64, "wide"), (F32, U8, "pos"), (F32, BOOL, "ties"),
                           (I32, F32, "int"), (I64, F16, "int"), (I32, BOOL, "int"), (BOOL, F32, "bool"),
                           (BOOL, I64, "bool"), (U8, I32, "uint"), (I64, I32, "int"), (I32, U8, "uint"),
                           (BF16, I32, "wide")):
        out.append(Case("to", "%s -> %s" % (vx.NAMES[src], vx.NAMES[dst]), conv(dst),
                        (lambda d: lambda xs: xs[0].to(vx.TORCH[d]))(dst),
                        [Inp([5, 7], kind, view=[("T", 0, 1)])], dtypes=(src,), grad=False,
                        tol=exact, out_dtype=dst, native=True))
    for src, dst in ((F32, F64), (F64, F32)):
        out.append(Case("to", "%s -> %s backward" % (vx.NAMES[src], vx.NAMES[dst]), conv(dst),
                        (lambda d: lambda xs: xs[0].to(vx.TORCH[d]))(dst), [Inp([3, 5])],
                        dtypes=(src,), out_dtype=dst, fd=dst == F64))
    return out


def core_cases():
    return (binary_cases() + compare_cases() + where_cases() + unary_cases() + reduce_cases()
            + matmul_cases() + view_cases() + to_cases())
