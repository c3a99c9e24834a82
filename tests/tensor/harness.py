"""harness.py - the machinery behind verify_ops.py: random inputs, the same
views in Vortex and torch, forward/backward comparison, finite differences.

A Case names a Vortex call and a torch call over a list of Inp (input
specs).  run_case makes fresh random base tensors, gives each side the same
view of them (transpose/slice/... applied in Vortex by vx_transpose etc.),
runs forward, then backward with one random upstream gradient and compares
the gradients of the base tensors; in f64 it also checks the Vortex
gradient against central differences of the Vortex forward.  bf16/f16 are
checked against torch computing in f32 on the same rounded inputs, then
rounding the result (the contract in tensor.h)."""
import math
import numpy as np
import torch

import vx
from vx import F32, F64, BF16, F16, I32, I64, U8, BOOL, FLOATS, NAMES, TORCH

LOWP = (BF16, F16)
# (rtol, atol) per dtype for forward values; gradients use GRAD_TOL.
FWD_TOL = {F32: (2e-5, 2e-6), F64: (1e-11, 1e-13), BF16: (8e-3, 1e-4), F16: (1e-3, 1e-6)}
GRAD_TOL = {F32: (1e-4, 1e-5), F64: (1e-10, 1e-12)}
FD_TOL = (1e-5, 1e-6)     # central differences, h = 1e-6, in f64
FD_H = 1e-6
FD_ALL = 30               # check every element of inputs up to this size
# What was actually compared, for the summary line.
STATS = {"forward": 0, "grad": 0, "fd": 0}


class Inp:
    """One input: base shape, value kind, dtype (None: the case's dtype),
    and views applied to the base in both libraries.  grad None: the
    input requires grad when the case is differentiable and it is float."""

    def __init__(self, shape, kind="normal", dtype=None, view=(), grad=None):
        self.shape, self.kind, self.dtype = list(shape), kind, dtype
        self.view, self.grad = list(view), grad

    def describe(self, dt):
        s = "[%s]" % ", ".join(map(str, self.shape))
        if self.dtype is not None and self.dtype != dt:
            s += ":" + NAMES[self.dtype]
        for v in self.view:
            s += ".%s(%s)" % (v[0], ",".join(map(str, v[1:])))
        return s


class Case:
    def __init__(self, family, name, vxf, thf, inputs, dtypes=(F32, F64), grad=True,
                 fd=True, tol=None, gfn=True, out_dtype=None, expect=(), grad_hook=None,
                 views=False, native=False):
        self.family, self.name, self.vxf, self.thf = family, name, vxf, thf
        self.views, self.native = views, native
        self.custom = None
        self.inputs, self.dtypes, self.grad, self.fd = inputs, dtypes, grad, fd
        self.tol, self.gfn, self.out_dtype = tol, gfn, out_dtype
        self.expect, self.grad_hook = set(expect), grad_hook


# ---- random values ----------------------------------------------------------
def make_values(rng, shape, kind, dt):
    n = shape
    if isinstance(kind, tuple):             # ("idx", n): indices in [0, n), duplicates likely
        return torch.from_numpy(rng.integers(0, kind[1], size=n).astype(np.float64))
    if dt == BOOL or kind == "bool":
        return torch.from_numpy(rng.random(n) < 0.5)
    if kind == "byte":                      # the whole u8 range: sums and products wrap
        return torch.from_numpy(rng.integers(0, 256, size=n).astype(np.float64))
    if kind == "big":                       # i32 products overflow and wrap
        return torch.from_numpy(rng.integers(-2 ** 31, 2 ** 31, size=n).astype(np.float64))
    if dt in (I32, I64, U8) or kind == "int":
        lo = 0 if dt == U8 or kind == "uint" else -5
        return torch.from_numpy(rng.integers(lo, 6, size=n).astype(np.float64))
    if kind == "normal":
        a = rng.standard_normal(n)
    elif kind == "pos":
        a = rng.uniform(0.5, 2.0, n)
    elif kind == "away0":
        a = rng.uniform(0.3, 2.0, n) * rng.choice([-1.0, 1.0], n)
    elif kind == "unit":
        a = rng.uniform(-0.9, 0.9, n)
    elif kind in ("ties", "tiesnan"):       # many equal values (and NaNs) for sorting
        a = rng.integers(-2, 3, size=n).astype(np.float64)
        if kind == "tiesnan":
            a[rng.random(n) < 0.2] = np.nan
    elif kind == "wide":
        a = rng.standard_normal(n) * 4
    elif kind == "huge":                    # overflows exp() unless the op is stable
        a = rng.standard_normal(n) * 200
    elif kind == "special":
        return special_values(rng, n)
    else:
        raise ValueError(kind)
    return torch.from_numpy(np.asarray(a, dtype=np.float64))


def special_values(rng, shape):
    """Rounding edge cases for dtype conversion, then random magnitudes."""
    e8, e11 = 2.0 ** -8, 2.0 ** -11
    fixed = [0.0, -0.0, math.inf, -math.inf, math.nan, 1.0, -1.0, 1 + e8, 1 + 3 * e8,
             1 + e8 + 2.0 ** -30, 1 + e11, 1 + 3 * e11, 1 + e11 + 2.0 ** -40, 65504.0,
             65519.0, 65520.0, 1e-8, 6e-8, 2.0 ** -24 * 0.5, 1e-40, -1e-45, 3.3895e38,
             3.4e38, 1e300, -1e-300, 0.1, 1 / 3]
    n = int(np.prod(shape))
    rest = rng.standard_normal(n) * 10.0 ** rng.uniform(-9, 9, n)
    vals = np.array((fixed + list(rest))[:n], dtype=np.float64)
    return torch.from_numpy(vals.reshape(shape))


# ---- views, the same on both sides ---------------------------------------------
def view_th(t, v):
    op = v[0]
    if op == "T":
        return t.transpose(v[1], v[2])
    if op == "perm":
        return t.permute(*v[1])
    if op == "slice":
        dim, start, end, step = v[1:]
        idx = [slice(None)] * t.dim()
        idx[dim] = slice(start, end, step)
        return t[tuple(idx)]
    if op == "sel":
        return t.select(v[1], v[2])
    if op == "expand":
        return t.expand(*v[1])
    raise ValueError(op)


def view_vx(S, p, v):
    op = v[0]
    if op == "T":
        return S.call("transpose", p, v[1], v[2])
    if op == "perm":
        return S.call("permute", p, *vx.dims_arg(v[1]))
    if op == "slice":
        return S.call("slice", p, *v[1:])
    if op == "sel":
        return S.call("select", p, v[1], v[2])
    if op == "expand":
        return S.call("expand", p, *vx.shape_arg(v[1]))
    raise ValueError(op)


# ---- comparison --------------------------------------------------------------------
def compare(got, want, rtol, atol):
    """None if equal within tolerance, else a message with the max error."""
    if list(got.shape) != list(want.shape):
        return "shape %s, torch %s" % (list(got.shape), list(want.shape))
    if got.numel() == 0:
        return None
    g, w = got.double(), want.double()
    bad_nan = torch.isnan(g) != torch.isnan(w)
    if bad_nan.any():
        i = int(bad_nan.flatten().nonzero()[0])
        return "NaN mismatch at flat %d: %r vs torch %r" % (i, g.flatten()[i].item(),
                                                           w.flatten()[i].item())
    fin = torch.isfinite(w)
    if (~fin & (g != w) & ~torch.isnan(w)).any():
        return "infinity mismatch"
    d = torch.where(fin, (g - w).abs(), torch.zeros_like(g))
    lim = atol + rtol * torch.where(fin, w.abs(), torch.zeros_like(w))
    if (d > lim).any():
        i = int(torch.argmax(d - lim))
        return "max abs err %.3g (at flat %d: %r vs torch %r; rtol %g atol %g)" % (
            d.max().item(), i, g.flatten()[i].item(), w.flatten()[i].item(), rtol, atol)
    return None


class Ctx:
    def __init__(self, lib, seed):
        self.lib, self.seed = lib, seed
        self.rng = np.random.default_rng(seed)


def base_tensors(ctx, case, dt):
    out = []
    for inp in case.inputs:
        d = dt if inp.dtype is None else inp.dtype
        vals = make_values(ctx.rng, inp.shape, inp.kind, d)
        out.append(vals.to(TORCH[d]) if d != BOOL else vals)
    return out


def wants_grad(case, inp, t):
    if not case.grad:
        return False
    return inp.grad if inp.grad is not None else t.is_floating_point()


def vx_forward(S, case, bases, grads):
    leaves = [S.from_torch(b, g) for b, g in zip(bases, grads)]
    xs = []
    for leaf, inp in zip(leaves, case.inputs):
        p = leaf
        for v in inp.view:
            p = view_vx(S, p, v)
        xs.append(p)
    return leaves, case.vxf(S, xs)


def th_forward(case, bases, grads, lowp):
    leaves = []
    for b, g in zip(bases, grads):
        t = b.detach().clone()
        if lowp and not case.native and t.dtype in (torch.bfloat16, torch.float16):
            t = t.float()
        leaves.append(t.requires_grad_(g))
    xs = []
    for leaf, inp in zip(leaves, case.inputs):
        t = leaf
        for v in inp.view:
            t = view_th(t, v)
        xs.append(t)
    return leaves, case.thf(xs)


def expected_dtype(case, dt, want):
    if case.out_dtype is not None:
        return case.out_dtype(dt) if callable(case.out_dtype) else case.out_dtype
    if dt in LOWP and want.dtype == torch.float32:
        return dt
    return vx.vx_dtype(want.dtype)


def run_case(ctx, case, dt):
    """Returns (set of failed checks, list of messages)."""
    lib = ctx.lib
    S = vx.Scope(lib)
    start = lib.live()
    fails, msgs = set(), []

    def fail(kind, m):
        fails.add(kind)
        msgs.append("%s: %s" % (kind, m))

    try:
        check_case(ctx, S, case, dt, fail)
    except vx.VxError as e:
        fail("error", str(e))
    finally:
        S.release_all()
        lib.tensor_clear_error()
    live = lib.live()
    if live != start:
        fail("leak", ", ".join("%d %s live after the case, %d before" % (live[k], k, start[k])
                               for k in live if live[k] != start[k]))
    return fails, msgs


def check_case(ctx, S, case, dt, fail):
    if case.custom:
        case.custom(ctx, S, dt, fail)
        return
    lowp = dt in LOWP
    bases = base_tensors(ctx, case, dt)
    grads = [wants_grad(case, i, b) and not lowp for i, b in zip(case.inputs, bases)]
    leaves, out = vx_forward(S, case, bases, grads)
    got = S.to_torch(out)
    tleaves, want = th_forward(case, bases, grads, lowp)
    exp_dt = expected_dtype(case, dt, want)
    if lib_dtype(ctx.lib, out) != exp_dt:
        fail("dtype", "result %s, expected %s" % (NAMES[lib_dtype(ctx.lib, out)], NAMES[exp_dt]))
    want_cmp = want.detach()
    if lowp and want_cmp.is_floating_point():
        want_cmp = want_cmp.to(TORCH[exp_dt])
    tol_dt = exp_dt if exp_dt in FLOATS and dt not in FLOATS else dt
    rtol, atol = (case.tol or FWD_TOL).get(tol_dt, (0, 0)) if want_cmp.is_floating_point() else (0, 0)
    m = compare(got, want_cmp, rtol, atol)
    STATS["forward"] += 1
    if m:
        fail("forward", m)
    if case.views:
        check_view_geometry(ctx.lib, leaves[0], out, tleaves[0], want, fail)
    if case.gfn and any(grads) and want.grad_fn is not None:
        name = ctx.lib.tensor_grad_fn_name(out)
        name = name.decode() if name else None
        if name != want.grad_fn.name():
            fail("grad_fn", "%s, torch %s" % (name, want.grad_fn.name()))
    if not any(grads) or m:
        return
    seed = make_values(ctx.rng, list(want.shape), "normal", F64).to(want.dtype)
    if ctx.lib.backward(out, S.from_torch(seed)) != 0:
        fail("backward", ctx.lib.error())
        return
    want.backward(seed)
    vgrads = {}
    rtol, atol = GRAD_TOL[dt]
    for i, (leaf, tl, g) in enumerate(zip(leaves, tleaves, grads)):
        if not g:
            continue
        vg = S.grad(leaf)
        if case.grad_hook:
            vg = case.grad_hook(vg)
        vgrads[i] = vg
        tg = tl.grad if tl.grad is not None else torch.zeros_like(tl)
        STATS["grad"] += 1
        m = compare(vg, tg, rtol, atol * max(1.0, tg.abs().max().item() if tg.numel() else 1))
        if m:
            fail("grad-torch", "input %d: %s" % (i, m))
    if dt == F64 and case.fd:
        fd_check(ctx, case, bases, seed, vgrads, fail)


def check_view_geometry(lib, vleaf, vout, tleaf, tout, fail):
    """A view shares storage: same strides (on dims of size > 1) and the
    same element offset from its base as torch's view; copies are contiguous."""
    shape, strides = vx.geometry(lib, vout)
    tshape, tstr = list(tout.shape), list(tout.stride())
    if tout._base is not None and any(n > 1 and a != b for n, a, b in zip(shape, strides, tstr)):
        fail("strides", "%s, torch %s (shape %s)" % (strides, tstr, tshape))
    if tout._base is None and tout.data_ptr() != tleaf.data_ptr() and not lib.tensor_is_contiguous(vout):
        fail("strides", "a copy with strides %s is not contiguous" % strides)
    if tout._base is not None and tout.numel() > 0:
        es = lib.dtype_size(lib.tensor_dtype(vout))
        off = (lib.tensor_data(vout) - lib.tensor_data(vleaf)) // es
        if off != tout.storage_offset() - tleaf.storage_offset():
            fail("offset", "%d elements, torch %d" % (off, tout.storage_offset()))
    elif tout.numel() > 0 and tout.data_ptr() != tleaf.data_ptr():
        # torch copied (reshape of a non-viewable layout, clone): must not alias.
        if lib.tensor_data(vout) == lib.tensor_data(vleaf):
            fail("aliasing", "result aliases its input where torch copies")


def lib_dtype(lib, p):
    return lib.tensor_dtype(p)


def vx_output(ctx, case, bases):
    """The Vortex forward on bases, without autodiff, as f64."""
    S = vx.Scope(ctx.lib)
    try:
        _, out = vx_forward(S, case, bases, [False] * len(bases))
        return S.to_torch(out).double()
    finally:
        S.release_all()


def fd_check(ctx, case, bases, seed, vgrads, fail):
    """Central differences of sum(forward * seed).  The two outputs are
    subtracted elementwise before the dot with seed, so outputs the element
    does not touch cancel exactly and do not drown the difference."""
    rtol, atol = FD_TOL
    seed = seed.double()
    for i, g in vgrads.items():
        n = bases[i].numel()
        picks = range(n) if n <= FD_ALL else ctx.rng.choice(n, 10, replace=False)
        worst = None
        for k in picks:
            k = int(k)
            outs = []
            for sgn in (1, -1):
                b = [t.clone() for t in bases]
                b[i].view(-1)[k] += sgn * FD_H
                outs.append(vx_output(ctx, case, b))
            fd = float(((outs[0] - outs[1]) * seed).sum()) / (2 * FD_H)
            an = float(g.reshape(-1)[k])
            STATS["fd"] += 1
            err = abs(fd - an)
            if err > atol + rtol * abs(fd) and (worst is None or err > worst[0]):
                worst = (err, k, an, fd)
        if worst:
            fail("grad-fd", "input %d: max abs err %.3g (flat %d: grad %r, central difference %r)"
                 % (i, worst[0], worst[1], worst[2], worst[3]))


def case_label(case, dt):
    return "%s %s %s" % (case.name, NAMES[dt], " ".join(i.describe(dt) for i in case.inputs))



def custom(family, name, fn, dtypes=(F64,), expect=()):
    """A case checked by fn(ctx, S, dtype, fail) instead of the table."""
    c = Case(family, name, None, None, [], dtypes=dtypes, expect=expect)
    c.custom = fn
    return c
