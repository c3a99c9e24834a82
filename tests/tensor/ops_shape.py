"""ops_shape.py - the op registry for src/tensor/tensor_shape.h.

Shapes and op arguments are drawn from the run's seed (so VX_VERIFY_SEED
repeats them) and written into each case's name: odd sizes, non-contiguous
inputs, duplicate indices, ties and NaN for sorting, random but valid
stride/padding/dilation/groups for convolution and pooling.  Ops with
several results (split, chunk, sort, topk, max_pool2d with indices) get
one case per result."""
import ctypes
import numpy as np
import torch
import torch.nn.functional as TF

from vx import F32, F64, BF16, F16, I32, I64, U8, BOOL, P, c_i64, c_int, c_bool, c_dbl
from harness import Case, Inp, custom

FL = (F32, F64)
ALLF = (F32, F64, BF16, F16)
PP = ctypes.POINTER(P)
SHAPE_SIGS = {
    "vx_cat": (P, [PP, c_int, c_int]),
    "vx_stack": (P, [PP, c_int, c_int]),
    "vx_split": (c_int, [P, c_i64, c_int, PP, c_int]),
    "vx_chunk": (c_int, [P, c_i64, c_int, PP, c_int]),
    "vx_gather": (P, [P, c_int, P]),
    "vx_scatter_add": (P, [P, c_int, P, P]),
    "vx_index_select": (P, [P, c_int, P]),
    "vx_masked_fill": (P, [P, P, c_dbl]),
    "vx_one_hot": (P, [P, c_i64]),
    "vx_tril": (P, [P, c_i64]),
    "vx_triu": (P, [P, c_i64]),
    "vx_cumsum": (P, [P, c_int]),
    "vx_sort": (c_int, [P, c_int, c_bool, PP, PP]),
    "vx_topk": (c_int, [P, c_i64, c_int, c_bool, c_bool, PP, PP]),
    "vx_conv1d": (P, [P, P, P, c_int, c_int, c_int, c_int]),
    "vx_conv2d": (P, [P, P, P] + [c_int] * 7),
    "vx_max_pool2d": (P, [P] + [c_int] * 8 + [c_bool, PP]),
    "vx_avg_pool2d": (P, [P] + [c_int] * 6 + [c_bool]),
}
# Sums of products (conv, pooling, cumsum): f32 rounding grows with the length.
SUM_TOL = {F32: (1e-4, 1e-5), F64: (1e-10, 1e-12), BF16: (1.6e-2, 1e-3), F16: (2e-3, 1e-4)}


class Gen:
    """Random case parameters from the run seed."""

    def __init__(self, seed):
        self.r = np.random.default_rng([seed, 0x5ba9e])

    def int(self, lo, hi):                  # lo ..= hi
        return int(self.r.integers(lo, hi + 1))

    def pick(self, xs):
        return xs[self.int(0, len(xs) - 1)]

    def shape(self, nd, lo=1, hi=7):
        return [self.int(lo, hi) for _ in range(nd)]

    def noncontig(self, shape):
        """An Inp with the given (view) shape, non-contiguous by a random
        choice of transpose or strided slice when it has 2+ dims."""
        if len(shape) < 2:
            return {}, list(shape)
        a, b = 0, len(shape) - 1
        if self.int(0, 1):
            base = list(shape)
            base[a], base[b] = base[b], base[a]
            return {"view": [("T", a, b)]}, base
        base = list(shape)
        base[b] = 2 * shape[b] + 1
        return {"view": [("slice", b, 1, 2 * shape[b] + 1, 2)]}, base


def inp(g, shape, kind="normal", contig=None, **kw):
    """An input of view shape `shape`, non-contiguous half of the time."""
    if contig is None:
        contig = g.int(0, 1) == 0
    if contig or len(shape) < 2:
        return Inp(shape, kind, **kw)
    v, base = g.noncontig(shape)
    return Inp(base, kind, view=v["view"], **kw)


def tensors(S, xs):
    return (P * len(xs))(*xs)


def pieces(S, name, t, arg, dim):
    n = getattr(S.lib, name)(t, arg, dim, None, 0)
    if n < 0:
        raise_err(S, name)
    arr = (P * n)()
    if getattr(S.lib, name)(t, arg, dim, arr, n) != n:
        raise_err(S, name)
    return [S.own(arr[i]) for i in range(n)]


def raise_err(S, name):
    import vx
    raise vx.VxError("vx_%s failed: %s" % (name, S.lib.error()))


def two_results(S, name, *args):
    a, b = P(), P()
    if getattr(S.lib, name)(*args, ctypes.byref(a), ctypes.byref(b)) != 0:
        raise_err(S, name)
    return S.own(a.value), S.own(b.value)


# ---- joining and splitting --------------------------------------------------
def join_cases(g):
    out = []
    for _ in range(6):
        nd = g.int(1, 4)
        shape = g.shape(nd)
        dim = g.int(-nd, nd - 1)
        n = g.pick([1, 2, 3, 4, 5, 7])
        ins = []
        for i in range(n):
            s = list(shape)
            s[dim] = g.int(1, 4)
            ins.append(inp(g, s))
        if g.int(0, 2) == 0 and n > 1:      # promotion over the inputs
            ins[-1].dtype = F64
        out.append(Case("join", "cat n=%d dim=%d" % (n, dim),
                        (lambda d: lambda S, xs: S.call("cat", tensors(S, xs), len(xs), d))(dim),
                        (lambda d: lambda xs: torch.cat(xs, d))(dim), ins, dtypes=ALLF))
        sdim = g.int(-nd - 1, nd)
        ins = [inp(g, shape) for _ in range(n)]
        out.append(Case("join", "stack n=%d dim=%d" % (n, sdim),
                        (lambda d: lambda S, xs: S.call("stack", tensors(S, xs), len(xs), d))(sdim),
                        (lambda d: lambda xs: torch.stack(xs, d))(sdim), ins, dtypes=ALLF))
    for _ in range(4):
        nd = g.int(1, 3)
        shape = g.shape(nd, 2, 9)
        dim = g.int(-nd, nd - 1)
        length = shape[dim]
        for name, arg, tf in (("split", g.int(1, length), torch.split),
                              ("chunk", g.int(1, length + 2), torch.chunk)):
            npieces = len(tf(torch.zeros(shape), arg, dim))
            x = inp(g, shape)
            for k in range(npieces):
                out.append(Case("join", "%s %d dim=%d piece %d of %d" % (name, arg, dim, k, npieces),
                                (lambda n, a, d, k: lambda S, xs: pieces(S, n, xs[0], a, d)[k])(name, arg, dim, k),
                                (lambda f, a, d, k: lambda xs: f(xs[0], a, d)[k])(tf, arg, dim, k),
                                [x], dtypes=ALLF, views=True))
    return out


# ---- indexing ---------------------------------------------------------------------
def index_cases(g):
    out = []
    for _ in range(6):
        nd = g.int(1, 4)
        shape = g.shape(nd)
        dim = g.int(-nd, nd - 1)
        ishape = [g.int(1, n) for n in shape]
        ishape[dim] = g.int(1, 2 * shape[dim] + 2)      # longer than the dim: duplicates
        idt = g.pick([I64, I32])
        out.append(Case("index", "gather dim=%d" % dim,
                        (lambda d: lambda S, xs: S.call("gather", xs[0], d, xs[1]))(dim),
                        (lambda d: lambda xs: torch.gather(xs[0], d, xs[1].long()))(dim),
                        [inp(g, shape), inp(g, ishape, ("idx", shape[dim]), dtype=idt)], dtypes=ALLF))
        # scatter_add: src may be larger than index in every dim.
        sshape = [n + g.int(0, 2) for n in ishape]
        out.append(Case("index", "scatter_add dim=%d" % dim,
                        (lambda d: lambda S, xs: S.call("scatter_add", xs[0], d, xs[1], xs[2]))(dim),
                        # torch 1.13's backward cannot take a src larger than index: give it
                        # the part of src that is read (the same values, the same gradient).
                        (lambda d: lambda xs: torch.scatter_add(
                            xs[0], d, xs[1].long(), xs[2][tuple(slice(0, n) for n in xs[1].shape)]))(dim),
                        [inp(g, shape), inp(g, ishape, ("idx", shape[dim]), dtype=idt), inp(g, sshape)],
                        dtypes=FL, tol=SUM_TOL))
        n = g.int(1, 2 * shape[dim] + 2)
        out.append(Case("index", "index_select dim=%d" % dim,
                        (lambda d: lambda S, xs: S.call("index_select", xs[0], d, xs[1]))(dim),
                        (lambda d: lambda xs: torch.index_select(xs[0], d, xs[1].long()))(dim),
                        [inp(g, shape), Inp([n], ("idx", shape[dim]), dtype=idt)], dtypes=ALLF))
    for _ in range(4):
        nd = g.int(1, 4)
        shape = g.shape(nd)
        mshape = [n if g.int(0, 1) else 1 for n in shape][g.int(0, nd - 1):]
        val = g.pick([0.0, -1.5, 3.25, float("-inf")])
        out.append(Case("mask", "masked_fill %g" % val,
                        (lambda v: lambda S, xs: S.call("masked_fill", xs[0], xs[1], v))(val),
                        (lambda v: lambda xs: xs[0].masked_fill(xs[1], v))(val),
                        [inp(g, shape), inp(g, mshape, "bool", dtype=BOOL)], dtypes=ALLF))
        nd = g.int(2, 4)
        shape = g.shape(nd)
        for name in ("tril", "triu"):
            k = g.int(-4, 4)
            out.append(Case("mask", "%s k=%d" % (name, k),
                            (lambda n, kk: lambda S, xs: S.call(n, xs[0], kk))(name, k),
                            (lambda n, kk: lambda xs: getattr(torch, n)(xs[0], kk))(name, k),
                            [inp(g, shape)], dtypes=ALLF))
        ishape = g.shape(g.int(0, 3))
        ncls = g.int(1, 6)
        for nc in (-1, ncls + g.int(0, 3)):
            out.append(Case("mask", "one_hot num_classes=%d" % nc,
                            (lambda c: lambda S, xs: S.call("one_hot", xs[0], c))(nc),
                            (lambda c: lambda xs: TF.one_hot(xs[0].long(), c))(nc),
                            [Inp(ishape, ("idx", ncls))], dtypes=(I64, I32), grad=False))
    return out


# ---- scans and sorting ---------------------------------------------------------------
def sort_cases(g):
    out = []
    for _ in range(5):
        nd = g.int(1, 3)
        shape = g.shape(nd, 1, 9)
        dim = g.int(-nd, nd - 1)
        out.append(Case("scan", "cumsum dim=%d" % dim,
                        (lambda d: lambda S, xs: S.call("cumsum", xs[0], d))(dim),
                        (lambda d: lambda xs: torch.cumsum(xs[0], d))(dim),
                        [inp(g, shape)], dtypes=ALLF + (I32, I64, U8), tol=SUM_TOL))
    for kind in ("normal", "ties", "tiesnan", "normal", "ties"):
        nd = g.int(0, 3)
        shape = g.shape(nd, 1, 9)
        dim = g.int(-nd, nd - 1) if nd else 0
        smooth = kind == "normal"
        for desc in (False, True):
            for res in (0, 1):
                out.append(Case("sort", "sort dim=%d descending=%s %s %s" % (dim, desc, kind, ("values", "indices")[res]),
                                (lambda d, ds, r: lambda S, xs: two_results(S, "sort", xs[0], d, ds)[r])(dim, desc, res),
                                (lambda d, ds, r: lambda xs: torch.sort(xs[0], dim=d, descending=ds, stable=True)[r])(dim, desc, res),
                                [inp(g, shape, kind)], dtypes=ALLF if res == 0 else FL, grad=res == 0,
                                fd=smooth, gfn=False))   # torch names stable sort's node SortBackward1
        length = shape[dim] if nd else 1
        for largest in (True, False):
            k = g.int(0 if nd else 1, length)
            x = inp(g, shape, kind)
            # values: torch.topk; indices: torch.topk's when unambiguous (no
            # ties), else the documented order of ties (torch's stable sort).
            ref = torch.topk if smooth else (
                lambda t, kk, d, lg: [r.narrow(d, 0, kk) if t.dim() else r
                                      for r in torch.sort(t, dim=d, descending=lg, stable=True)])
            for res in (0, 1):
                out.append(Case("sort", "topk k=%d dim=%d largest=%s %s %s" % (k, dim, largest, kind, ("values", "indices")[res]),
                                (lambda kk, d, lg, r: lambda S, xs: two_results(S, "topk", xs[0], kk, d, lg, True)[r])(k, dim, largest, res),
                                (lambda f, kk, d, lg, r: lambda xs: f(xs[0], kk, d, lg)[r])(ref, k, dim, largest, res),
                                [x], dtypes=FL, grad=res == 0, fd=smooth, gfn=smooth))
    return out


# ---- convolution and pooling -------------------------------------------------------------
def conv_geom(g, nd):
    """Random valid (size, kernel, stride, padding, dilation) per spatial dim."""
    while True:
        k, s, p, d = g.shape(nd, 1, 4), g.shape(nd, 1, 3), g.shape(nd, 0, 3), g.shape(nd, 1, 3)
        size = g.shape(nd, 1, 9)
        if all(n + 2 * pp - dd * (kk - 1) - 1 >= 0 for n, kk, pp, dd in zip(size, k, p, d)):
            return size, k, s, p, d


def conv_cases(g):
    out = []
    for nd in (1, 2) * 8:
        size, k, s, p, d = conv_geom(g, nd)
        groups = g.pick([1, 1, 2, 3])
        cin, cout, n = groups * g.int(1, 2), groups * g.int(1, 3), g.int(1, 3)
        bias = g.int(0, 1) == 1
        ins = [inp(g, [n, cin] + size), inp(g, [cout, cin // groups] + k)] + ([Inp([cout])] if bias else [])
        desc = "conv%dd groups=%d kernel=%s stride=%s padding=%s dilation=%s bias=%d" % (nd, groups, k, s, p, d, bias)
        if nd == 1:
            vxf = (lambda s_, p_, d_, gr: lambda S, xs: S.call(
                "conv1d", xs[0], xs[1], xs[2] if len(xs) > 2 else None, s_, p_, d_, gr))(s[0], p[0], d[0], groups)
            thf = (lambda s_, p_, d_, gr: lambda xs: TF.conv1d(
                xs[0], xs[1], xs[2] if len(xs) > 2 else None, s_, p_, d_, gr))(s[0], p[0], d[0], groups)
        else:
            vxf = (lambda s_, p_, d_, gr: lambda S, xs: S.call(
                "conv2d", xs[0], xs[1], xs[2] if len(xs) > 2 else None, *s_, *p_, *d_, gr))(s, p, d, groups)
            thf = (lambda s_, p_, d_, gr: lambda xs: TF.conv2d(
                xs[0], xs[1], xs[2] if len(xs) > 2 else None, s_, p_, d_, gr))(s, p, d, groups)
        out.append(Case("conv", desc, vxf, thf, ins, dtypes=FL, tol=SUM_TOL))
    return out


def pool_geom(g, dilate):
    while True:
        k = g.shape(2, 1, 4)
        s = [g.pick([0, 1, 2, 3]) for _ in range(2)]
        p = [g.int(0, kk // 2) for kk in k]
        d = g.shape(2, 1, 3) if dilate else [1, 1]
        size = g.shape(2, 1, 9)
        if all(n + 2 * pp - dd * (kk - 1) - 1 >= 0 for n, kk, pp, dd in zip(size, k, p, d)):
            return size, k, s, p, d


def pool_cases(g):
    out = []
    for _ in range(6):
        size, k, s, p, d = pool_geom(g, True)
        ceil = g.int(0, 1) == 1
        x = inp(g, g.shape(2, 1, 3) + size)
        ts = [kk if ss == 0 else ss for kk, ss in zip(k, s)]
        # windows entirely in the padding make the reference a WhereBackward0
        all_pad = bool(torch.isinf(TF.max_pool2d(torch.zeros([1, 1] + size), k, ts, p, d, ceil_mode=ceil)).any())
        for res in (0, 1):
            vxf = (lambda k_, s_, p_, d_, c, r: lambda S, xs: max_pool(S, xs[0], k_, s_, p_, d_, c)[r])(k, s, p, d, ceil, res)
            thf = (lambda k_, s_, p_, d_, c, r: lambda xs: max_pool_ref(xs[0], k_, s_, p_, d_, c)[r])(k, ts, p, d, ceil, res)
            out.append(Case("pool", "max_pool2d kernel=%s stride=%s padding=%s dilation=%s ceil_mode=%s %s"
                            % (k, s, p, d, ceil, ("values", "indices")[res]), vxf, thf, [x],
                            dtypes=ALLF if res == 0 else FL, grad=res == 0, gfn=not all_pad))
    for _ in range(6):
        size, k, s, p, _ = pool_geom(g, False)
        cip = g.int(0, 1) == 1
        ts = [kk if ss == 0 else ss for kk, ss in zip(k, s)]
        out.append(Case("pool", "avg_pool2d kernel=%s stride=%s padding=%s count_include_pad=%s" % (k, s, p, cip),
                        (lambda k_, s_, p_, c: lambda S, xs: S.call("avg_pool2d", xs[0], *k_, *s_, *p_, c))(k, s, p, cip),
                        (lambda k_, s_, p_, c: lambda xs: TF.avg_pool2d(xs[0], k_, s_, p_, count_include_pad=c))(k, ts, p, cip),
                        [inp(g, g.shape(2, 1, 3) + size)], dtypes=ALLF, tol=SUM_TOL))
    return out


def max_pool_ref(x, k, s, p, d, ceil):
    """torch's max_pool2d with tensor_shape.h's rule for a window entirely
    in the padding (dilation can make one): -inf, index -1, no gradient.
    torch gives -inf too but an index past the plane, and scatters the
    gradient there.  The inputs are finite, so -inf marks those windows."""
    v, ix = TF.max_pool2d(x, k, s, p, d, ceil_mode=ceil, return_indices=True)
    pad = torch.isinf(v.detach())
    if not pad.any():
        return v, ix
    return torch.where(pad, v.detach(), v), ix.masked_fill(pad, -1)


def max_pool(S, x, k, s, p, d, ceil):
    ix = P()
    v = S.call("max_pool2d", x, *k, *s, *p, *d, ceil, ctypes.byref(ix))
    return v, S.own(ix.value)


def bad_calls(ctx, S, dt, fail):
    """Invalid arguments: NULL (or -1) and a message, never a crash."""
    lib = S.lib
    x = S.from_torch(torch.randn(3, 4, dtype=torch.float64))
    x4 = S.from_torch(torch.randn(1, 2, 5, 5, dtype=torch.float64))
    w = S.from_torch(torch.randn(3, 2, 3, 3, dtype=torch.float64))
    idx = lambda v, d=torch.int64: S.from_torch(torch.tensor(v, dtype=d))
    out = (P * 1)()
    a, b = P(), P()
    calls = {
        "gather index 4 for size 3": lambda: lib.gather(x, 0, idx([[0, 4, 1, 2]])),
        "gather index -1": lambda: lib.gather(x, 1, idx([[-1], [0], [1]])),
        "gather float index": lambda: lib.gather(x, 0, S.from_torch(torch.zeros(1, 4, dtype=torch.float64))),
        "scatter_add src of another dtype": lambda: lib.scatter_add(
            x, 0, idx([[0, 1, 2, 0]]), S.from_torch(torch.ones(1, 4, dtype=torch.float32))),
        "index_select 2-d index": lambda: lib.index_select(x, 0, idx([[0], [1]])),
        "index_select index 3 for size 3": lambda: lib.index_select(x, 0, idx([3], torch.int32)),
        "cat of [3,4] and [2,3]": lambda: lib.cat((P * 2)(x, S.from_torch(torch.zeros(2, 3, dtype=torch.float64))), 2, 0),
        "stack dim 3 of 2-d": lambda: lib.stack((P * 2)(x, x), 2, 3),
        "split cap 1 for 2 pieces": lambda: lib.split(x, 2, 1, out, 1) >= 0 or None,
        "chunk 0 chunks": lambda: lib.chunk(x, 0, 1, out, 1) >= 0 or None,
        "topk k 5 of 4": lambda: lib.topk(x, 5, 1, True, True, ctypes.byref(a), ctypes.byref(b)) == 0 or None,
        "sort dim 2 of 2-d": lambda: lib.sort(x, 2, False, ctypes.byref(a), ctypes.byref(b)) == 0 or None,
        "masked_fill mask not broadcastable": lambda: lib.masked_fill(x, S.from_torch(torch.ones(3, 3, dtype=torch.bool)), 0.0),
        "one_hot class 3 with num_classes 2": lambda: lib.one_hot(idx([0, 3]), 2),
        "tril of 1-d": lambda: lib.tril(S.from_torch(torch.zeros(4, dtype=torch.float64)), 0),
        "conv2d channels 2 vs weight 3": lambda: lib.conv2d(x4, S.from_torch(torch.randn(3, 3, 3, 3, dtype=torch.float64)),
                                                           None, 1, 1, 0, 0, 1, 1, 1),
        "conv2d groups 2 with 3 outputs": lambda: lib.conv2d(x4, w, None, 1, 1, 0, 0, 1, 1, 2),
        "conv2d kernel larger than input": lambda: lib.conv2d(
            S.from_torch(torch.randn(1, 2, 2, 2, dtype=torch.float64)), w, None, 1, 1, 0, 0, 1, 1, 1),
        "conv1d stride 0": lambda: lib.conv1d(S.from_torch(torch.randn(1, 2, 5, dtype=torch.float64)),
                                              S.from_torch(torch.randn(1, 2, 3, dtype=torch.float64)), None, 0, 0, 1, 1),
        "max_pool2d padding 2 for kernel 3": lambda: lib.max_pool2d(x4, 3, 3, 1, 1, 2, 2, 1, 1, False, None),
        "avg_pool2d of 2-d": lambda: lib.avg_pool2d(x, 2, 2, 0, 0, 0, 0, True),
    }
    for what, f in calls.items():
        r = f()
        if r:
            if not isinstance(r, bool):
                S.own(r)
            fail("accepted", what)
        elif not lib.error():
            fail("message", what + ": failed without a message")
        lib.tensor_clear_error()


def cases(seed):
    g = Gen(seed)
    return (join_cases(g) + index_cases(g) + sort_cases(g) + conv_cases(g) + pool_cases(g)
            + [custom("shape-errors", "invalid arguments of tensor_shape.h: an error, not a crash", bad_calls)])

