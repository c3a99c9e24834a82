"""ops_optim.py - src/tensor/tensor_optim.h against torch.optim,
torch.nn.utils.clip_grad_norm_ and torch.optim.lr_scheduler; safetensors
files against an independent reader and writer written here (json +
struct + numpy) and, where it is installed, the `safetensors` package.

Every check is a custom case: parameters, gradients and hyperparameters
are drawn from the case's generator (the run seed and the case label)."""
import ctypes
import json
import math
import os
import struct
import tempfile
import warnings

import numpy as np
import torch

import vx
from vx import F32, F64, BF16, F16, I32, I64, U8, BOOL, P, c_i64, c_int, c_bool, c_dbl, NAMES, TORCH
from harness import custom, compare

try:
    import safetensors.torch as st_torch
except ImportError:                         # the json + struct reader below still runs
    st_torch = None

PP = ctypes.POINTER(P)
CP = ctypes.c_char_p
CPP = ctypes.POINTER(CP)
DP = ctypes.POINTER(c_dbl)
OPTIM_SIGS = {
    "vx_optim_sgd": (P, [PP, c_int, c_dbl, c_dbl, c_dbl, c_bool, c_dbl]),
    "vx_optim_adam": (P, [PP, c_int, c_dbl, c_dbl, c_dbl, c_dbl, c_dbl, c_bool]),
    "vx_optim_adamw": (P, [PP, c_int, c_dbl, c_dbl, c_dbl, c_dbl, c_dbl, c_bool]),
    "vx_optim_release": (None, [P]),
    "vx_optim_step": (c_int, [P]),
    "vx_optim_zero_grad": (c_int, [P]),
    "vx_optim_set_lr": (c_int, [P, c_dbl]),
    "vx_optim_lr": (c_dbl, [P]),
    "vx_optim_steps": (c_i64, [P]),
    "vx_optim_state": (P, [P, c_int, CP]),
    "vx_optim_save": (c_int, [P, CP]),
    "vx_optim_load": (c_int, [P, CP]),
    "vx_optim_set_schedule": (c_int, [P, c_int, c_i64, c_i64, c_dbl]),
    "vx_clip_grad_norm": (c_int, [PP, c_int, c_dbl, c_dbl, DP]),
    "vx_lr_step": (c_dbl, [c_dbl, c_i64, c_i64, c_dbl]),
    "vx_lr_cosine": (c_dbl, [c_dbl, c_i64, c_i64, c_i64, c_dbl]),
    "vx_lr_linear": (c_dbl, [c_dbl, c_i64, c_i64, c_i64, c_dbl]),
    "vx_lr_at": (c_dbl, [c_int, c_dbl, c_i64, c_i64, c_i64, c_dbl]),
    "vx_safetensors_save": (c_int, [CP, CPP, PP, c_int, CPP, CPP, c_int]),
    "vx_safetensors_load": (P, [CP]),
    "vx_safetensors_parse": (P, [P, ctypes.c_size_t, CP]),
    "vx_safetensors_free": (None, [P]),
    "vx_safetensors_count": (c_int, [P]),
    "vx_safetensors_name": (CP, [P, c_int]),
    "vx_safetensors_tensor": (P, [P, c_int]),
    "vx_safetensors_get": (P, [P, CP]),
    "vx_safetensors_meta_count": (c_int, [P]),
    "vx_safetensors_meta_key": (CP, [P, c_int]),
    "vx_safetensors_meta_value": (CP, [P, c_int]),
}
SCHED_CONSTANT, SCHED_STEP, SCHED_COSINE, SCHED_LINEAR = range(4)
# torch.optim and Vortex follow the same formulas and roundings
# (tensor_optim.h): after 10 steps they should agree to a few ulps.
OPT_TOL = {F32: (1e-6, 1e-7), F64: (1e-14, 1e-15)}
STATE_KEYS = {"SGD": ["momentum_buffer"], "Adam": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"],
              "AdamW": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]}
warnings.filterwarnings("ignore", message=".*lr_scheduler.*")


def rand_shape(rng):
    return [int(n) for n in rng.integers(1, 8, size=int(rng.integers(0, 4)))]


def randn(rng, shape, scale=1.0):
    return torch.from_numpy(np.asarray(rng.standard_normal(shape) * scale, dtype=np.float64))


def leaves(S, rng, dt, n):
    """n random parameters: (Vortex leaf, torch leaf) pairs with equal values."""
    out = []
    for _ in range(n):
        t = randn(rng, rand_shape(rng)).to(TORCH[dt])
        out.append((S.from_torch(t, True), t.clone().requires_grad_(True)))
    return out


def set_grad(S, p, g):
    """Give Vortex leaf p the gradient g (accumulated onto what it has:
    exactly g after zero_grad) through backward of p * 1."""
    out = S.call("mul_s", p, 1.0)
    if S.lib.backward(out, S.from_torch(g)) != 0:
        raise vx.VxError("backward: " + S.lib.error())


def parr(ps):
    return (P * max(1, len(ps)))(*ps)


# ---- optimizers ------------------------------------------------------------------
def optim_configs(rng):
    lr = lambda: float(10 ** rng.uniform(-3, -1))
    b = lambda: (float(rng.uniform(0.8, 0.95)), float(rng.uniform(0.9, 0.9999)))
    out = []
    for mom, damp, nest, wd in ((0, 0, False, 0), (0.9, 0, False, 0), (0.9, 0.3, False, 0.01),
                                (0.9, 0, True, 0.01), (0.5, 0, True, 0), (0.7, 0.5, False, 0.1)):
        out.append(("SGD", dict(lr=lr(), momentum=mom, dampening=damp, nesterov=nest, weight_decay=wd)))
    for kind in ("Adam", "AdamW"):
        for ams in (False, True):
            for wd in ((0.0, 0.05) if kind == "Adam" else (0.01, 0.1)):
                out.append((kind, dict(lr=lr(), betas=b(), eps=float(10 ** rng.uniform(-8, -6)),
                                       weight_decay=wd, amsgrad=ams)))
    return out


def make_vx_optim(S, kind, cfg, ps):
    lib, n, arr = S.lib, len(ps), parr(ps)
    if kind == "SGD":
        o = lib.optim_sgd(arr, n, cfg["lr"], cfg["momentum"], cfg["dampening"], cfg["nesterov"], cfg["weight_decay"])
    else:
        f = lib.optim_adam if kind == "Adam" else lib.optim_adamw
        o = f(arr, n, cfg["lr"], cfg["betas"][0], cfg["betas"][1], cfg["eps"], cfg["weight_decay"], cfg["amsgrad"])
    if not o:
        raise vx.VxError("vx_optim_%s: %s" % (kind.lower(), lib.error()))
    return o


def make_th_optim(kind, cfg, ps):
    return getattr(torch.optim, kind)(ps, foreach=False, **cfg)


class Optim:
    """A Vortex optimizer released when the case ends."""

    def __init__(self, S, kind, cfg, ps):
        self.S, self.o = S, make_vx_optim(S, kind, cfg, ps)

    def __enter__(self):
        return self.o

    def __exit__(self, *a):
        self.S.lib.optim_release(self.o)


def optim_case(kind, cfg, sched=None, save_at=None):
    """10 steps with the same gradients on both sides; one parameter gets
    its first gradient only at step 3 (skipped until then, as in torch);
    parameters and state buffers compared after every step."""
    def fn(ctx, S, dt, fail):
        rng, lib = ctx.rng, ctx.lib
        pairs = leaves(S, rng, dt, int(rng.integers(1, 4)))
        vps, tps = [a for a, _ in pairs], [b for _, b in pairs]
        late = int(rng.integers(0, len(pairs)))
        topt = make_th_optim(kind, cfg, tps)
        tsched = sched[1](topt) if sched else None
        opt = Optim(S, kind, cfg, vps)
        with opt as o:
            if sched and lib.optim_set_schedule(o, *sched[0]) != 0:
                fail("schedule", lib.error())
                return
            for step in range(10):
                if step == save_at:
                    o = reload(S, kind, cfg, vps, o, fail)
                    opt.o = o
                if lib.optim_zero_grad(o) != 0:
                    fail("zero_grad", lib.error())
                for i, (vp, tp) in enumerate(pairs):
                    if i == late and step < 3:
                        continue
                    g = randn(rng, list(tp.shape)).to(TORCH[dt])
                    set_grad(S, vp, g)
                    tp.grad = g.clone()
                lr_want = topt.param_groups[0]["lr"]
                lr_got = lib.optim_lr(o)
                if abs(lr_got - lr_want) > 1e-12 * max(1.0, abs(lr_want)):
                    fail("lr", "step %d: vx_optim_lr %r, torch %r" % (step, lr_got, lr_want))
                if lib.optim_step(o) != 0:
                    fail("step", "step %d: %s" % (step, lib.error()))
                    return
                topt.step()
                if tsched:
                    tsched.step()
                if not compare_params(S, pairs, o, topt, kind, dt, step, fail):
                    return
            if lib.optim_steps(o) != 10:
                fail("steps", "vx_optim_steps %d after 10 steps" % lib.optim_steps(o))
    return fn


def compare_params(S, pairs, o, topt, kind, dt, step, fail):
    rtol, atol = OPT_TOL[dt]
    for i, (vp, tp) in enumerate(pairs):
        m = compare(S.to_torch(vp), tp.detach(), rtol, atol)
        if m:
            fail("param", "step %d, parameter %d %s: %s" % (step, i, list(tp.shape), m))
            return False
        st = topt.state.get(tp, {})
        for key in STATE_KEYS[kind]:
            got = S.lib.optim_state(o, i, key.encode())
            S.lib.tensor_clear_error()
            want = st.get(key)
            if (got is None) != (want is None):
                if got:
                    S.own(got)
                fail("state", "step %d, parameter %d: %s %s in Vortex, %s in torch" % (
                    step, i, key, "present" if got else "absent", "present" if want is not None else "absent"))
                return False
            if got is None:
                continue
            m = compare(S.to_torch(S.own(got)), want, rtol, atol)
            if m:
                fail("state", "step %d, parameter %d %s: %s" % (step, i, key, m))
                return False
    return True


def reload(S, kind, cfg, vps, o, fail):
    """Save the optimizer, release it, and continue with a fresh one that
    loads the file: the run must go on as if uninterrupted."""
    lib = S.lib
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "optim.safetensors").encode()
        if lib.optim_save(o, path) != 0:
            fail("save", lib.error())
            return o
        fresh = make_vx_optim(S, kind, dict(cfg, lr=cfg["lr"] * 3), vps)
        if lib.optim_load(fresh, path) != 0:
            fail("load", lib.error())
            lib.optim_release(fresh)
            return o
        lib.optim_release(o)
        return fresh


def optim_cases(seed):
    rng = np.random.default_rng([seed, 0x0b71])
    out = []
    for kind, cfg in optim_configs(rng):
        desc = ", ".join("%s=%s" % (k, ("%.4g" % v) if isinstance(v, float) else
                                     ("(%.4g, %.4g)" % v) if isinstance(v, tuple) else v) for k, v in cfg.items())
        out.append(custom("optim", "%s %s: 10 steps vs torch.optim" % (kind, desc), optim_case(kind, cfg),
                          dtypes=(F32, F64)))
    # save after 5 steps, load into a fresh optimizer (other lr), go on.
    for kind, cfg in (optim_configs(rng)[3], optim_configs(rng)[-1]):
        out.append(custom("optim", "%s save at step 5, load into a new optimizer, 5 more steps" % kind,
                          optim_case(kind, cfg, save_at=5), dtypes=(F32, F64)))
    # the optimizer's own schedule against torch's scheduler stepped after each step.
    ss, gamma = int(rng.integers(1, 4)), float(rng.uniform(0.3, 0.9))
    out.append(custom("optim", "SGD with a step schedule (step_size=%d gamma=%.3g) vs StepLR" % (ss, gamma),
                      optim_case("SGD", optim_configs(rng)[1][1], sched=(
                          (SCHED_STEP, ss, 0, gamma), lambda o: torch.optim.lr_scheduler.StepLR(o, ss, gamma)))))
    w, tot, mn = int(rng.integers(1, 4)), int(rng.integers(6, 12)), float(rng.uniform(0, 1e-3))
    out.append(custom("optim", "Adam with warmup %d + cosine to %d, min %.3g vs LambdaLR" % (w, tot, mn),
                      optim_case("Adam", optim_configs(rng)[6][1], sched=(
                          (SCHED_COSINE, w, tot, mn), lambda o: torch.optim.lr_scheduler.LambdaLR(
                              o, lambda s, b=o.defaults["lr"]: cosine_ref(b, s, w, tot, mn) / b)))))
    out.append(custom("optim", "bad hyperparameters are errors, not crashes", bad_hyper))
    return out


def bad_hyper(ctx, S, dt, fail):
    lib = ctx.lib
    p = S.from_torch(torch.zeros(3, dtype=torch.float64), True)
    arr = parr([p])
    for what, o in (("lr -1", lambda: lib.optim_sgd(arr, 1, -1.0, 0, 0, False, 0)),
                    ("nesterov without momentum", lambda: lib.optim_sgd(arr, 1, 0.1, 0, 0, True, 0)),
                    ("beta1 1.0", lambda: lib.optim_adam(arr, 1, 0.1, 1.0, 0.999, 1e-8, 0, False)),
                    ("eps -1", lambda: lib.optim_adamw(arr, 1, 0.1, 0.9, 0.999, -1.0, 0, False)),
                    ("a parameter without requires_grad", lambda: lib.optim_sgd(
                        parr([S.from_torch(torch.zeros(2))]), 1, 0.1, 0, 0, False, 0))):
        r = o()
        if r:
            lib.optim_release(r)
            fail("accepted", what)
        elif not lib.error():
            fail("message", what + " failed without a message")
        lib.tensor_clear_error()


# ---- clip_grad_norm --------------------------------------------------------------
def clip_case(norm_type):
    def fn(ctx, S, dt, fail):
        rng, lib = ctx.rng, ctx.lib
        pairs = leaves(S, rng, dt, int(rng.integers(1, 5)))
        for i, (vp, tp) in enumerate(pairs):
            if i > 0 and rng.random() < 0.25:
                continue                    # no gradient: ignored by both
            g = randn(rng, list(tp.shape), 10 ** rng.uniform(-2, 1)).to(TORCH[dt])
            set_grad(S, vp, g)
            tp.grad = g.clone()
        max_norm = float(10 ** rng.uniform(-1, 1.3))
        total = c_dbl()
        if lib.clip_grad_norm(parr([a for a, _ in pairs]), len(pairs), max_norm, norm_type, ctypes.byref(total)) != 0:
            fail("clip", lib.error())
            return
        want = torch.nn.utils.clip_grad_norm_([b for _, b in pairs], max_norm, norm_type).item()
        rtol, atol = {F32: (2e-6, 1e-7), F64: (1e-13, 1e-15)}[dt]
        if abs(total.value - want) > atol + rtol * abs(want):
            fail("total", "norm %r, torch %r (max_norm %g)" % (total.value, want, max_norm))
        for i, (vp, tp) in enumerate(pairs):
            if tp.grad is None:
                continue
            m = compare(S.grad(vp), tp.grad, rtol, atol)
            if m:
                fail("grad", "parameter %d %s (max_norm %g, norm %g): %s" % (i, list(tp.shape), max_norm, want, m))
    return fn


def clip_none(ctx, S, dt, fail):
    """No gradient at all: total 0, nothing changes (torch returns 0 too)."""
    p = S.from_torch(torch.ones(3, dtype=torch.float64), True)
    total = c_dbl(-1)
    if ctx.lib.clip_grad_norm(parr([p]), 1, 1.0, 2.0, ctypes.byref(total)) != 0 or total.value != 0:
        fail("total", "%r (%s)" % (total.value, ctx.lib.error()))


def clip_cases():
    return [custom("clip", "clip_grad_norm norm_type=%g vs torch.nn.utils.clip_grad_norm_ #%d" % (nt, i),
                   clip_case(nt), dtypes=(F32, F64))
            for i, nt in enumerate((2.0, 1.0, math.inf, 2.0, 1.0, math.inf, 3.0))] + [
        custom("clip", "clip_grad_norm without gradients", clip_none)]


# ---- learning-rate schedules ---------------------------------------------------------
def cosine_ref(base, s, w, tot, mn):
    if s < w:
        return base * s / w
    if s >= tot:
        return mn
    return mn + (base - mn) * (1 + math.cos(math.pi * (s - w) / (tot - w))) / 2


def linear_ref(base, s, w, tot, mn):
    if s < w:
        return base * s / w
    if s >= tot:
        return mn
    return mn + (base - mn) * (tot - s) / (tot - w)


def torch_lrs(make, base, n):
    """The lr of torch's scheduler after 0 .. n-1 scheduler steps."""
    p = torch.zeros(1, requires_grad=True)
    o = torch.optim.SGD([p], lr=base)
    s = make(o)
    out = []
    for _ in range(n):
        out.append(o.param_groups[0]["lr"])
        o.step()
        s.step()
    return out


def sched_case(ctx, S, dt, fail):
    rng, lib = ctx.rng, ctx.lib
    base = float(10 ** rng.uniform(-4, 0))
    n = 40

    def check(what, got, want, rtol=1e-12):
        for s, (a, b) in enumerate(zip(got, want)):
            if not abs(a - b) <= 1e-300 + rtol * abs(b):
                fail(what, "step %d: %r, torch %r (base %r)" % (s, a, b, base))
                return

    ss, gamma = int(rng.integers(1, 7)), float(rng.uniform(0.1, 0.99))
    want = torch_lrs(lambda o: torch.optim.lr_scheduler.StepLR(o, ss, gamma), base, n)
    check("StepLR(%d, %g)" % (ss, gamma), [lib.lr_step(base, s, ss, gamma) for s in range(n)], want, 1e-12)
    check("lr_at step", [lib.lr_at(SCHED_STEP, base, s, ss, 0, gamma) for s in range(n)], want, 1e-12)
    want = torch_lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda s: gamma ** (s // ss)), base, n)
    check("LambdaLR step form", [lib.lr_step(base, s, ss, gamma) for s in range(n)], want)
    for w, tot, mn in ((0, int(rng.integers(5, 30)), 0.0), (int(rng.integers(1, 8)), int(rng.integers(10, 35)),
                                                            float(base * rng.uniform(0, 0.3)))):
        # CosineAnnealingLR after warmup: its recursive form drifts by
        # rounding, so a looser tolerance; stops at total (torch restarts).
        want = torch_lrs(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, tot - w, mn), base, tot - w + 1)
        check("CosineAnnealingLR(T_max=%d, eta_min=%g) after warmup %d" % (tot - w, mn, w),
              [lib.lr_cosine(base, w + s, w, tot, mn) for s in range(tot - w + 1)], want, 1e-9)
        for name, f, ref, kind in (("cosine", lib.lr_cosine, cosine_ref, SCHED_COSINE),
                                   ("linear", lib.lr_linear, linear_ref, SCHED_LINEAR)):
            want = torch_lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(
                o, lambda s: ref(base, s, w, tot, mn) / base), base, n)
            check("LambdaLR warmup %d + %s to %d min %g" % (w, name, tot, mn),
                  [f(base, s, w, tot, mn) for s in range(n)], want)
            check("lr_at %s" % name, [lib.lr_at(kind, base, s, w, tot, mn) for s in range(n)], want)
    check("constant", [lib.lr_at(SCHED_CONSTANT, base, s, 0, 0, 0.0) for s in range(n)],
          torch_lrs(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda s: 1.0), base, n))
    for what, f in (("step_size 0", lambda: lib.lr_step(base, 3, 0, 0.5)),
                    ("gamma -1", lambda: lib.lr_step(base, 3, 2, -1.0)),
                    ("total <= warmup", lambda: lib.lr_cosine(base, 3, 5, 5, 0.0)),
                    ("step -1", lambda: lib.lr_linear(base, -1, 0, 5, 0.0)),
                    ("kind 9", lambda: lib.lr_at(9, base, 1, 1, 2, 0.0))):
        v = f()
        if not math.isnan(v) or not lib.error():
            fail("invalid", "%s gave %r, error %r" % (what, v, lib.error()))
        lib.tensor_clear_error()


# ---- safetensors ------------------------------------------------------------------------
ST_NAMES = {F32: "F32", F64: "F64", BF16: "BF16", F16: "F16", I32: "I32", I64: "I64", U8: "U8", BOOL: "BOOL"}
ST_DT = {v: k for k, v in ST_NAMES.items()}


def st_read(data):
    """An independent reader: {name: (dtype, shape, torch tensor)}, metadata.
    Raises ValueError on anything the format does not allow."""
    if len(data) < 8:
        raise ValueError("shorter than the header length")
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError("header length %d past the end" % n)
    head = json.loads(data[8:8 + n].decode("utf-8"))
    body = data[8 + n:]
    meta = head.pop("__metadata__", {})
    out, spans = {}, []
    for name, e in head.items():
        d = ST_DT[e["dtype"]]
        b, end = e["data_offsets"]
        es = np.dtype(vx.RAW[d]).itemsize
        if end - b != es * int(np.prod(e["shape"], dtype=np.int64)):
            raise ValueError("%s: byte count" % name)
        arr = np.frombuffer(body[b:end], dtype=vx.RAW[d]).reshape(e["shape"]).copy()
        t = torch.from_numpy(arr)
        out[name] = (d, list(e["shape"]), t.view(torch.bfloat16) if d == BF16 else t)
        spans.append((b, end, es))
    pos = 0
    for b, end, es in sorted(spans):
        if b != pos:
            raise ValueError("offsets do not tile the data")
        pos = end
    if pos != len(body):
        raise ValueError("data past the last tensor")
    return out, meta, n, spans


def st_write(tensors, meta):
    """An independent writer: tensors in the given order, no alignment games."""
    head, blobs, off = {}, [], 0
    for name, t in tensors.items():
        d = vx.vx_dtype(t.dtype)
        raw = (t.view(torch.int16) if d == BF16 else t).contiguous().numpy().tobytes()
        head[name] = {"dtype": ST_NAMES[d], "shape": list(t.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    if meta:
        head["__metadata__"] = meta
    h = json.dumps(head).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(blobs)


def rand_tensor(rng, d):
    shape = [int(n) for n in rng.integers(0 if rng.random() < 0.15 else 1, 6, size=int(rng.integers(0, 4)))]
    if d == BOOL:
        return torch.from_numpy(np.asarray(rng.random(shape) < 0.5))
    if d in (I32, I64, U8):
        lo, hi = (0, 256) if d == U8 else (-2 ** 31, 2 ** 31)
        return torch.from_numpy(np.asarray(rng.integers(lo, hi, size=shape))).to(TORCH[d])
    return randn(rng, shape, 100).to(TORCH[d])


def rand_named(rng):
    n = int(rng.integers(1, 9))
    names = ["t%d" % i if rng.random() < 0.7 else "layer.%d.wéight/%d" % (i, i) for i in range(n)]
    return {nm: rand_tensor(rng, int(rng.integers(0, 8))) for nm in names}


def same(a, b):
    return a.dtype == b.dtype and list(a.shape) == list(b.shape) and (
        a.numel() == 0 or bool((a.view(torch.int16) == b.view(torch.int16)).all() if a.dtype == torch.bfloat16
                               else torch.equal(a, b) or (a.is_floating_point() and torch.equal(a.isnan(), b.isnan())
                                                          and torch.equal(a.nan_to_num(), b.nan_to_num()))))


def st_save_vx(ctx, S, ts, meta, path):
    """Vortex writes ts (some through a non-contiguous view)."""
    lib = ctx.lib
    ps = []
    for t in ts.values():
        p = S.from_torch(t)
        if t.dim() >= 2 and ctx.rng.random() < 0.5:     # the same values, strided
            p = S.call("transpose", S.call("contiguous", S.call("transpose", p, 0, 1)), 0, 1)
        ps.append(p)
    names = (CP * len(ts))(*[k.encode() for k in ts])
    keys = (CP * max(1, len(meta)))(*[k.encode() for k in meta])
    vals = (CP * max(1, len(meta)))(*[v.encode() for v in meta.values()])
    return lib.safetensors_save(path.encode(), names, parr(ps), len(ts), keys, vals, len(meta))


def st_vortex_writes(ctx, S, dt, fail):
    rng = ctx.rng
    ts = rand_named(rng)
    meta = {"format": "pt", "note": "random %d" % int(rng.integers(1000))} if rng.random() < 0.7 else {}
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "w.safetensors")
        if st_save_vx(ctx, S, ts, meta, path) != 0:
            fail("save", ctx.lib.error())
            return
        data = open(path, "rb").read()
        try:
            got, gmeta, hlen, spans = st_read(data)
        except (ValueError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as e:
            fail("format", "the reader rejects Vortex's file: %s" % e)
            return
        if hlen % 8:
            fail("format", "header length %d is not a multiple of 8" % hlen)
        if any(b % es for b, _, es in spans):
            fail("format", "a tensor is not aligned to its element size: %s" % spans)
        if gmeta != meta:
            fail("metadata", "%r, wrote %r" % (gmeta, meta))
        for name, t in ts.items():
            if name not in got or not same(got[name][2], t):
                fail("tensor", "%s %s %s: read back %s" % (name, NAMES[vx.vx_dtype(t.dtype)], list(t.shape),
                                                         "absent" if name not in got else list(got[name][2].shape)))
        if st_torch is not None:
            try:
                ref = st_torch.load(data)
            except Exception as e:          # noqa: BLE001 - any rejection is the finding
                fail("safetensors", "the safetensors package rejects the file: %s" % e)
                return
            for name, t in ts.items():
                if name not in ref or not same(ref[name], t):
                    fail("safetensors", "%s differs as the safetensors package reads it" % name)


def vx_read_all(S, f):
    """{name: torch tensor}, metadata of a loaded VxSafetensors."""
    lib = S.lib
    out = {}
    for i in range(lib.safetensors_count(f)):
        out[lib.safetensors_name(f, i).decode()] = S.to_torch(S.own(lib.safetensors_tensor(f, i), "tensor"))
    meta = {lib.safetensors_meta_key(f, i).decode(): lib.safetensors_meta_value(f, i).decode()
            for i in range(lib.safetensors_meta_count(f))}
    return out, meta


def st_vortex_reads(ctx, S, dt, fail):
    rng, lib = ctx.rng, ctx.lib
    ts = rand_named(rng)
    meta = {"k%d" % i: "v%d" % int(rng.integers(100)) for i in range(int(rng.integers(0, 3)))}
    files = [("json+struct writer", st_write(ts, meta))]
    if st_torch is not None:
        files.append(("safetensors package", st_torch.save(ts, metadata=meta or None)))
    for who, data in files:
        buf = ctypes.create_string_buffer(data, len(data))
        f = lib.safetensors_parse(buf, len(data), b"mem")
        if not f:
            fail("load", "%s's file: %s" % (who, lib.error()))
            continue
        try:
            got, gmeta = vx_read_all(S, f)
            order = [lib.safetensors_name(f, i).decode() for i in range(lib.safetensors_count(f))]
            hdr = [k for k in json.loads(data[8:8 + struct.unpack("<Q", data[:8])[0]]) if k != "__metadata__"]
            if order != hdr:
                fail("order", "%s's file: %s, header order %s" % (who, order, hdr))
            if gmeta != meta:
                fail("metadata", "%s's file: %r, wrote %r" % (who, gmeta, meta))
            for name, t in ts.items():
                if name not in got or not same(got[name], t):
                    fail("tensor", "%s's file: %s %s %s read %s" % (who, name, t.dtype, list(t.shape),
                                                                    "absent" if name not in got else got[name].dtype))
        finally:
            lib.safetensors_free(f)
    with tempfile.TemporaryDirectory() as d:     # and through a file
        path = os.path.join(d, "r.safetensors")
        open(path, "wb").write(files[-1][1])
        f = lib.safetensors_load(path.encode())
        if not f:
            fail("load", "from a file: %s" % lib.error())
        else:
            lib.safetensors_free(f)


def mutants(rng, data, hlen, n):
    """(description, bytes): truncations at random lengths and random
    header bytes replaced."""
    out = [("truncated to %d of %d bytes" % (k, len(data)), data[:k])
           for k in sorted(set(int(x) for x in rng.integers(0, len(data), size=n)) | {0, 7, 8, 8 + hlen - 1})]
    digits = [i for i in range(8, 8 + hlen) if chr(data[i]).isdigit()]
    for j in range(n):
        b = bytearray(data)
        where = []
        for _ in range(int(rng.integers(1, 4))):
            if j % 2:                       # a digit for a digit: valid JSON, wrong offsets or shapes
                i = digits[int(rng.integers(0, len(digits)))]
                b[i] = ord("0") + int(rng.integers(0, 10))
            else:
                i = int(rng.integers(0, 8 + hlen))
                b[i] = int(rng.integers(0, 256))
            where.append("%d=0x%02x" % (i, b[i]))
        out.append(("header bytes %s" % ",".join(where), bytes(b)))
    return out


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate names")
    return dict(pairs)


def reference_accepts(data):
    """The safetensors package's verdict, but for one deliberate
    difference: a name twice in the header is an error in Vortex, while
    the package (serde_json into a map) keeps the last one silently."""
    try:
        n = struct.unpack("<Q", data[:8])[0]
        json.loads(data[8:8 + n].decode("utf-8"), object_pairs_hook=no_duplicates)
    except ValueError as e:
        if "duplicate" in str(e):
            return False
    except Exception:                       # noqa: BLE001 - left to the reference below
        pass
    if st_torch is not None:
        try:
            st_torch.load(data)
            return True
        except Exception:                   # noqa: BLE001 - the reference's verdict
            return False
    try:
        st_read(data)
        return True
    except Exception:                       # noqa: BLE001
        return False


def st_corrupt(ctx, S, dt, fail):
    """Every mutant either fails with a message (NULL) or, where the
    reference also accepts it, loads; never a crash.  Run in a child
    process so that a crash is reported with the mutant that caused it."""
    rng, lib = ctx.rng, ctx.lib
    ts = rand_named(rng)
    data = st_write(ts, {"a": "b"})
    hlen = struct.unpack("<Q", data[:8])[0]
    muts = mutants(rng, data, hlen, 60)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                            # the child: report each verdict, then exit
        os.close(r)
        for i, (_, m) in enumerate(muts):
            os.write(w, b"%d " % i)
            buf = ctypes.create_string_buffer(m, max(1, len(m)))
            f = lib.safetensors_parse(buf, len(m), b"mutant")
            msg = lib.error() if not f else ""
            if f:
                try:
                    vx_read_all(S, f)
                finally:
                    S.release_all()
                    lib.safetensors_free(f)
            lib.tensor_clear_error()
            os.write(w, b"%s\n" % (b"ok" if f else (b"err" if msg else b"nomsg")))
        os._exit(0)
    os.close(w)
    out = b""
    while True:
        chunk = os.read(r, 65536)
        if not chunk:
            break
        out += chunk
    os.close(r)
    _, status = os.waitpid(pid, 0)
    lines = out.decode().split("\n")
    done = [ln.split() for ln in lines if len(ln.split()) == 2]
    if status != 0:
        i = len(done)
        fail("crash", "status %d on mutant %d: %s" % (status, i, muts[i][0] if i < len(muts) else "?"))
    for i, verdict in done:
        desc, m = muts[int(i)]
        ref = reference_accepts(m)
        if verdict == "nomsg":
            fail("message", "%s: NULL without a message" % desc)
        elif verdict == "ok" and not ref:
            fail("accepted", "%s: loaded, the reference rejects it" % desc)
        elif verdict == "err" and ref:
            fail("rejected", "%s: rejected, the reference loads it" % desc)


def cases(seed):
    return (optim_cases(seed) + clip_cases() + [custom("sched", "lr schedules vs torch.optim.lr_scheduler", sched_case)]
            + [custom("safetensors", "Vortex writes, json+struct and the safetensors package read #%d" % i,
                      st_vortex_writes) for i in range(4)]
            + [custom("safetensors", "written in Python, Vortex reads #%d" % i, st_vortex_reads) for i in range(4)]
            + [custom("safetensors", "truncated and corrupted files: an error, never a crash #%d" % i, st_corrupt)
               for i in range(2)])
