"""ops_nn.py - the op registry for src/tensor/tensor_nn.h.  torch 1.13 has
no rms_norm and no scaled_dot_product_attention: their references are
written here from torch ops, following the formulas in tensor_nn.h."""
import ctypes
import math
import warnings
import torch
import torch.nn.functional as TF

import vx
from vx import F32, F64, BF16, F16, I32, I64, U8, P, I64P, shape_arg
from harness import Case, Inp, custom, compare
from ops_misc import _splitmix, _xoshiro

FL = (F32, F64)
ALLF = (F32, F64, BF16, F16)
c_int, c_i64, c_dbl, c_bool = ctypes.c_int, ctypes.c_int64, ctypes.c_double, ctypes.c_bool
SEGMENT = ctypes.CFUNCTYPE(P, ctypes.POINTER(P), c_int, P)
NN_SIGS = {
    "vx_softmax": (P, [P, c_int]),
    "vx_log_softmax": (P, [P, c_int]),
    "vx_layer_norm": (P, [P, I64P, c_int, P, P, c_dbl]),
    "vx_rms_norm": (P, [P, I64P, c_int, P, c_dbl]),
    "vx_embedding": (P, [P, P]),
    "vx_cross_entropy": (P, [P, P, c_i64, c_dbl, c_int]),
    "vx_nll_loss": (P, [P, P, c_i64, c_int]),
    "vx_mse_loss": (P, [P, P, c_int]),
    "vx_dropout": (P, [P, c_dbl, c_bool, ctypes.c_uint64]),
    "vx_scaled_dot_product_attention": (P, [P, P, P, c_bool, c_dbl]),
    "vx_checkpoint": (P, [SEGMENT, P, ctypes.POINTER(P), c_int]),
}
RED = ["none", "mean", "sum"]
NN_TOL = {F32: (1e-4, 1e-5), F64: (1e-10, 1e-12), BF16: (1.6e-2, 1e-3), F16: (2e-3, 1e-4)}
# Attention is composed of core ops, each rounding to bf16/f16 on store:
# the error of several roundings against torch's single f32 rounding.
ATT_TOL = {**NN_TOL, BF16: (3e-2, 1e-2), F16: (4e-3, 2e-3)}
warnings.filterwarnings("ignore", message="Using a target size")


def softmax_cases():
    out = []
    for name, tf in (("softmax", torch.softmax), ("log_softmax", torch.log_softmax)):
        for dim, inp in ((-1, Inp([3, 5, 7], "wide")), (1, Inp([3, 5, 7], "wide")), (0, Inp([3, 5, 7])),
                         (1, Inp([6, 5], view=[("T", 0, 1)])), (0, Inp([])),
                         (-1, Inp([4, 9], view=[("slice", 1, 1, 9, 2)])), (0, Inp([1, 4])),
                         (1, Inp([3, 8], "huge"))):
            out.append(Case("softmax", "%s dim=%d" % (name, dim),
                            (lambda n, d: lambda S, xs: S.call(n, xs[0], d))(name, dim),
                            (lambda f, d: lambda xs: f(xs[0], d))(tf, dim), [inp], dtypes=ALLF, tol=NN_TOL))
    return out


def _opt(S, xs, i):
    return xs[i] if len(xs) > i else None


def norm_cases():
    out = []
    for nshape, x, affine in (([7], [3, 5, 7], 2), ([5, 7], [3, 5, 7], 2), ([7], [3, 5, 7], 0),
                              ([4], [6, 4], 1), ([4], [2, 3, 4], 2)):
        view = [("T", 0, 1)] if x == [6, 4] else []
        xin = Inp([4, 6] if view else x, "wide", view=view)
        ins = [xin] + [Inp(nshape) for _ in range(affine)]
        eps = 1e-5

        def vxf(S, xs, ns=nshape, a=affine, e=eps):
            return S.call("layer_norm", xs[0], *shape_arg(ns), _opt(S, xs, 1), _opt(S, xs, 2), e)

        def thf(xs, ns=nshape, e=eps):
            return TF.layer_norm(xs[0], ns, xs[1] if len(xs) > 1 else None,
                                 xs[2] if len(xs) > 2 else None, e)
        out.append(Case("norm", "layer_norm %s affine=%d" % (nshape, affine), vxf, thf, ins,
                        dtypes=ALLF, tol=NN_TOL, gfn=affine == 2))
        ins = [xin] + [Inp(nshape) for _ in range(min(affine, 1))]

        def vxr(S, xs, ns=nshape, e=eps):
            return S.call("rms_norm", xs[0], *shape_arg(ns), _opt(S, xs, 1), e)

        def thr(xs, ns=nshape, e=eps):
            dims = tuple(range(-len(ns), 0))
            y = xs[0] * torch.rsqrt(xs[0].pow(2).mean(dims, keepdim=True) + e)
            return y * xs[1] if len(xs) > 1 else y
        out.append(Case("norm", "rms_norm %s weight=%d" % (nshape, min(affine, 1)), vxr, thr, ins,
                        dtypes=ALLF, tol=NN_TOL, gfn=False))
    return out


def embedding_cases():
    emb = lambda S, xs: S.call("embedding", xs[0], xs[1])
    out = []
    for idx_shape, idt in (([7], I64), ([3, 4], I32), ([2, 3, 5], I64), ([], I64), ([6], U8)):
        out.append(Case("embedding", "embedding idx %s %s" % (idx_shape, vx.NAMES[idt]), emb,
                        lambda xs: TF.embedding(xs[1].long(), xs[0]),
                        [Inp([6, 5]), Inp(idx_shape, "uint", dtype=idt)], dtypes=ALLF, tol=NN_TOL))
    out.append(Case("embedding", "embedding transposed weight", emb,
                    lambda xs: TF.embedding(xs[1], xs[0]),
                    [Inp([5, 6], view=[("T", 0, 1)]), Inp([4, 4], "uint", dtype=I64)], tol=NN_TOL))
    return out


def loss_cases():
    out = []
    for lshape, tshape in (([4, 6], [4]), ([3, 6, 5], [3, 5]), ([6], []), ([2, 6, 2, 3], [2, 2, 3])):
        for red in range(3):
            for ign, sm in ((-100, 0.0), (2, 0.0), (-100, 0.1), (3, 0.25)):
                vxf = (lambda i, s, r: lambda S, xs: S.call("cross_entropy", xs[0], xs[1], i, s, r))(ign, sm, red)
                thf = (lambda i, s, r: lambda xs: TF.cross_entropy(xs[0], xs[1], ignore_index=i,
                                                                   label_smoothing=s, reduction=RED[r]))(ign, sm, red)
                out.append(Case("loss", "cross_entropy %s ignore=%d smoothing=%g" % (RED[red], ign, sm),
                                vxf, thf, [Inp(lshape, "wide"), Inp(tshape, "uint", dtype=I64)],
                                dtypes=ALLF if red == 1 and ign == -100 else FL, tol=NN_TOL, gfn=False))
            vxn = (lambda r: lambda S, xs: S.call("nll_loss", xs[0], xs[1], 2, r))(red)
            thn = (lambda r: lambda xs: TF.nll_loss(xs[0], xs[1], ignore_index=2, reduction=RED[r]))(red)
            out.append(Case("loss", "nll_loss %s ignore=2" % RED[red], vxn, thn,
                            [Inp(lshape), Inp(tshape, "uint", dtype=I64)], tol=NN_TOL, gfn=False))
    out.append(Case("loss", "cross_entropy i32 targets, transposed logits",
                    lambda S, xs: S.call("cross_entropy", xs[0], xs[1], -100, 0.0, 1),
                    lambda xs: TF.cross_entropy(xs[0], xs[1].long()),
                    [Inp([6, 4], view=[("T", 0, 1)]), Inp([4], "uint", dtype=I32)], tol=NN_TOL, gfn=False))
    out.append(Case("loss", "cross_entropy huge logits",
                    lambda S, xs: S.call("cross_entropy", xs[0], xs[1], -100, 0.1, 1),
                    lambda xs: TF.cross_entropy(xs[0], xs[1], label_smoothing=0.1),
                    [Inp([5, 7], "huge"), Inp([5], "uint", dtype=I64)], tol=NN_TOL, gfn=False))
    out.append(Case("loss", "cross_entropy all ignored (mean is NaN)",
                    lambda S, xs: S.call("cross_entropy", xs[0], S.from_torch(torch.full([3], 5)), 5, 0.0, 1),
                    lambda xs: TF.cross_entropy(xs[0], torch.full([3], 5), ignore_index=5),
                    [Inp([3, 6])], grad=False))
    for red in range(3):
        for a, b in (([3, 5, 7], [3, 5, 7]), ([3, 4], [4]), ([6, 5], [5, 6])):
            view = [("T", 0, 1)] if a == [6, 5] else []
            out.append(Case("loss", "mse_loss %s" % RED[red],
                            (lambda r: lambda S, xs: S.call("mse_loss", xs[0], xs[1], r))(red),
                            (lambda r: lambda xs: TF.mse_loss(xs[0], xs[1].expand_as(xs[0]), reduction=RED[r]))(red),
                            [Inp(a), Inp(b, view=view)], dtypes=ALLF, tol=NN_TOL, gfn=False))
    return out


def dropout_mask(seed, n, p):
    """tensor_nn.h: one xoshiro256** uniform per element, kept where u >= p."""
    st, s = seed, []
    for _ in range(4):
        st, z = _splitmix(st)
        s.append(z)
    keep = [(_xoshiro(s) >> 11) * 2.0 ** -53 >= p for _ in range(n)]
    return torch.tensor(keep)


def dropout_cases():
    out = []
    for p, shape, view in ((0.3, [3, 5, 7], []), (0.5, [6, 5], [("T", 0, 1)]), (0.9, [40], []),
                           (1.0, [3, 4], [])):
        seed = 12345

        def thf(xs, pr=p, sd=seed):
            mask = dropout_mask(sd, xs[0].numel(), pr).reshape(xs[0].shape)
            scale = 0.0 if pr == 1 else 1.0 / (1.0 - pr)
            return xs[0] * mask.to(xs[0].dtype) * scale
        out.append(Case("dropout", "dropout p=%g seed=%d" % (p, seed),
                        (lambda pr, sd: lambda S, xs: S.call("dropout", xs[0], pr, True, sd))(p, seed),
                        thf, [Inp(shape, view=view)], dtypes=ALLF, tol=NN_TOL, gfn=False))
    out.append(custom("dropout", "dropout p=0 / eval return x; bad p fails", dropout_identity))
    return out


def dropout_identity(ctx, S, dt, fail):
    lib = ctx.lib
    x = S.from_torch(torch.randn(3, 4, dtype=torch.float64))
    for p, training in ((0.0, True), (0.5, False)):
        y = S.call("dropout", x, p, training, 7)
        if y != x:
            fail("identity", "p=%g training=%s did not return x itself" % (p, training))
    for p in (-0.1, 1.5, math.nan):
        r = lib.dropout(x, p, True, 7)
        if r:
            S.own(r)
            fail("bad p", "p=%g accepted" % p)
        elif not lib.error():
            fail("bad p", "p=%g failed without a message" % p)
        lib.tensor_clear_error()
    big = S.to_torch(S.call("dropout", S.from_torch(torch.ones(20000, dtype=torch.float64)), 0.25, True, 99))
    kept = (big != 0).double().mean().item()
    if abs(kept - 0.75) > 0.02:
        fail("rate", "kept %.4f of the elements at p=0.25" % kept)


def sdpa_ref(causal, scale):
    def f(xs):
        q, k, v = xs
        sc = scale if scale else 1.0 / math.sqrt(q.shape[-1])
        s = torch.matmul(q, k.transpose(-1, -2)) * sc
        if causal:
            tq, tk = s.shape[-2], s.shape[-1]
            mask = torch.ones(tq, tk, dtype=torch.bool).triu(1)
            s = s.masked_fill(mask, -math.inf)
        return torch.matmul(torch.softmax(s, -1), v)
    return f


def attention_cases():
    out = []
    cfg = [([2, 3, 4, 5], [2, 3, 4, 5], [2, 3, 4, 6]), ([3, 5], [7, 5], [7, 2]),
           ([2, 1, 4, 5], [1, 3, 6, 5], [1, 3, 6, 3]), ([5, 4], [3, 4], [3, 4])]
    for q, k, vv in cfg:
        for causal in (False, True):
            for scale in (0.0, 0.3):
                out.append(Case("attention", "sdpa causal=%s scale=%g" % (causal, scale),
                                (lambda c, s: lambda S, xs: S.call("scaled_dot_product_attention",
                                                                   xs[0], xs[1], xs[2], c, s))(causal, scale),
                                sdpa_ref(causal, scale), [Inp(q), Inp(k), Inp(vv)], dtypes=FL, tol=NN_TOL,
                                gfn=False))
    out.append(Case("attention", "sdpa transposed k, bf16/f16",
                    lambda S, xs: S.call("scaled_dot_product_attention", xs[0], xs[1], xs[2], True, 0.0),
                    sdpa_ref(True, 0.0), [Inp([2, 4, 5]), Inp([2, 5, 4], view=[("T", 1, 2)]), Inp([2, 4, 3])],
                    dtypes=ALLF, tol=ATT_TOL, gfn=False))
    return out


def segment_vx(lib):
    """The checkpointed segment tanh(x @ w) * x, built from library calls;
    intermediates are released here, the result is a new reference."""
    def fn(inputs, n, ctx):
        x, w = inputs[0], inputs[1]
        mm = lib.matmul(x, w)
        th = lib.tanh(mm)
        out = lib.mul(th, x)
        lib.tensor_release(mm)
        lib.tensor_release(th)
        return out
    return SEGMENT(fn)


def checkpoint_case(ctx, S, dt, fail):
    lib = ctx.lib
    rng = ctx.rng
    xt = torch.from_numpy(rng.standard_normal((4, 4)))
    wt = torch.from_numpy(rng.standard_normal((4, 4)))
    seed = torch.from_numpy(rng.standard_normal((4, 4)))
    x, w = S.from_torch(xt, True), S.from_torch(wt, True)
    cb = segment_vx(lib)
    arr = (P * 2)(x, w)
    out = S.call("checkpoint", cb, None, arr, 2)
    tx, tw = xt.clone().requires_grad_(True), wt.clone().requires_grad_(True)
    ref = torch.tanh(tx @ tw) * tx
    m = compare(S.to_torch(out), ref.detach(), 1e-12, 1e-12)
    if m:
        fail("forward", m)
    if lib.backward(out, S.from_torch(seed)) != 0:
        fail("backward", lib.error())
        return
    ref.backward(seed)
    for name, leaf, tl in (("x", x, tx), ("w", w, tw)):
        m = compare(S.grad(leaf), tl.grad, 1e-10, 1e-12)
        if m:
            fail("grad-torch", "%s: %s" % (name, m))


def cases(lib=None):
    return (softmax_cases() + norm_cases() + embedding_cases() + loss_cases() + dropout_cases()
            + attention_cases() + [custom("checkpoint", "checkpoint tanh(x @ w) * x vs torch", checkpoint_case)])
