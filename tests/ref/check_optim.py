#!/usr/bin/env python3
"""check_optim.py - src/tensor/tensor_optim.h against torch, through ctypes.

    /usr/bin/python3 tests/ref/check_optim.py --lib build/release/libvxtensor.so [--emit]

50 steps of SGD (momentum, dampening, nesterov, weight decay), Adam (with
and without amsgrad and weight decay) and AdamW on f32 and f64 parameters,
one of them non-contiguous and one that gets no gradient for the first
steps, compared with torch.optim; the schedules against torch's LambdaLR,
StepLR and CosineAnnealingLR; clip_grad_norm_; safetensors files written by
Vortex read by the reference `safetensors` package (when installed) and by
an independent reader here, and the other way round.  Prints "ok NAME" or
"FAIL NAME: why" per check, like the C unit tests; exit status 1 on any
failure.  Exits 0 printing "skip ..." when torch is missing."""
import ctypes as C
import json
import math
import os
import struct
import sys
import tempfile

try:
    import numpy as np
    import torch
except ImportError as e:
    print(f"skip check_optim: {e}")
    sys.exit(0)
try:
    import safetensors.torch as st_ref
except ImportError:
    st_ref = None

lib = C.CDLL(sys.argv[sys.argv.index("--lib") + 1])
P, D, I, I64, B = C.c_void_p, C.c_double, C.c_int, C.c_int64, C.c_bool
PP, CP = C.POINTER(C.c_void_p), C.c_char_p
for name, res, args in [
    ("vx_tensor_from_f64", P, [C.POINTER(D), C.POINTER(I64), I, I]),
    ("vx_tensor_set_requires_grad", I, [P, B]), ("vx_tensor_release", None, [P]),
    ("vx_transpose", P, [P, I, I]), ("vx_detach", P, [P]), ("vx_mul", P, [P, P]),
    ("vx_sum", P, [P, P, I, B]), ("vx_backward", I, [P, P]), ("vx_contiguous", P, [P]),
    ("vx_tensor_get_f64", I, [P, C.POINTER(I64), C.POINTER(D)]), ("vx_tensor_numel", I64, [P]),
    ("vx_tensor_ndim", I, [P]), ("vx_tensor_dim", I64, [P, I]), ("vx_tensor_dtype", I, [P]),
    ("vx_tensor_data", P, [P]), ("vx_tensor_last_error", CP, []), ("vx_tensor_grad", P, [P]),
    ("vx_tensor_live_tensors", I64, []), ("vx_tensor_from_data", P, [P, C.POINTER(I64), I, I]),
    ("vx_optim_sgd", P, [PP, I, D, D, D, B, D]), ("vx_optim_adam", P, [PP, I, D, D, D, D, D, B]),
    ("vx_optim_adamw", P, [PP, I, D, D, D, D, D, B]), ("vx_optim_step", I, [P]),
    ("vx_optim_zero_grad", I, [P]), ("vx_optim_release", None, [P]), ("vx_optim_lr", D, [P]),
    ("vx_optim_set_schedule", I, [P, I, I64, I64, D]),
    ("vx_clip_grad_norm", I, [PP, I, D, D, C.POINTER(D)]),
    ("vx_lr_at", D, [I, D, I64, I64, I64, D]),
    ("vx_safetensors_save", I, [CP, C.POINTER(CP), PP, I, C.POINTER(CP), C.POINTER(CP), I]),
    ("vx_safetensors_load", P, [CP]), ("vx_safetensors_free", None, [P]),
    ("vx_safetensors_count", I, [P]), ("vx_safetensors_name", CP, [P, I]),
    ("vx_safetensors_tensor", P, [P, I]), ("vx_safetensors_meta_get", CP, [P, CP]),
]:
    f = getattr(lib, name)
    f.restype, f.argtypes = res, args

F32, F64, BF16, F16, I32, I64_, U8, BOOL = range(8)
TORCH_DT = [torch.float32, torch.float64, torch.bfloat16, torch.float16, torch.int32, torch.int64, torch.uint8, torch.bool]
failures = 0


def report(name, ok, why=""):
    global failures
    print(f"ok {name}" if ok else f"FAIL {name}: {why}")
    failures += not ok


def err():
    return lib.vx_tensor_last_error().decode()


def vx_from(a, dtype=F32):
    a = np.ascontiguousarray(a, dtype=np.float64)
    shape = (I64 * max(a.ndim, 1))(*a.shape)
    t = lib.vx_tensor_from_f64(a.ctypes.data_as(C.POINTER(D)), shape, a.ndim, dtype)
    assert t, err()
    return t


def vx_values(t):
    """Any tensor's elements as a float64 numpy array of its shape."""
    nd = lib.vx_tensor_ndim(t)
    shape = [lib.vx_tensor_dim(t, d) for d in range(nd)]
    out = np.zeros(shape, dtype=np.float64)
    for idx in np.ndindex(*shape):
        v = D()
        lib.vx_tensor_get_f64(t, (I64 * max(nd, 1))(*idx), C.byref(v))
        out[idx] = v.value
    return out


def set_grad(p, g, dtype):
    """p.grad += g, through a real backward of sum(p * g)."""
    gt = vx_from(g, dtype)
    m = lib.vx_mul(p, gt)
    s = lib.vx_sum(m, None, 0, False)
    assert lib.vx_backward(s, None) == 0, err()
    for t in (gt, m, s):
        lib.vx_tensor_release(t)


def rel_err(a, b):
    return float(np.max(np.abs(a - b) / (1e-30 + np.maximum(np.abs(a), np.abs(b))))) if a.size else 0.0


# ---- optimizers -----------------------------------------------------------------------
CONFIGS = [
    ("sgd", dict(lr=0.1)),
    ("sgd", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam", dict(lr=0.01)),
    ("adam", dict(lr=0.003, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, amsgrad=True)),
    ("adamw", dict(lr=0.01)),
    ("adamw", dict(lr=0.002, betas=(0.85, 0.95), eps=1e-7, weight_decay=0.05, amsgrad=True)),
]


def make_vx_optim(kind, params, kw):
    arr = (C.c_void_p * len(params))(*params)
    b1, b2 = kw.get("betas", (0.9, 0.999))
    if kind == "sgd":
        return lib.vx_optim_sgd(arr, len(params), kw["lr"], kw.get("momentum", 0), kw.get("dampening", 0),
                                kw.get("nesterov", False), kw.get("weight_decay", 0))
    make = lib.vx_optim_adam if kind == "adam" else lib.vx_optim_adamw
    return make(arr, len(params), kw["lr"], b1, b2, kw.get("eps", 1e-8),
                kw.get("weight_decay", 0 if kind == "adam" else 0.01), kw.get("amsgrad", False))


def run_optim(kind, kw, dtype, steps=50):
    rng = np.random.default_rng(7)
    npd = np.float32 if dtype == F32 else np.float64
    shapes = [(3, 4), (5,), (40, 7)]         # the last is stored transposed in Vortex; big enough
    #                                          for torch's vectorised kernels
    init = [rng.standard_normal(s).astype(npd) for s in shapes]
    grads = [[rng.standard_normal(s).astype(npd) for s in shapes] for _ in range(steps)]
    tp = [torch.tensor(a, requires_grad=True) for a in init]
    topt = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind](tp, **kw)
    vp = [vx_from(init[0], dtype), vx_from(init[1], dtype)]
    base = vx_from(init[2].T, dtype)
    view = lib.vx_transpose(base, 0, 1)
    vp.append(lib.vx_detach(view))
    lib.vx_tensor_release(view); lib.vx_tensor_release(base)
    for p in vp:
        lib.vx_tensor_set_requires_grad(p, True)
    vopt = make_vx_optim(kind, vp, kw)
    assert vopt, err()
    for s in range(steps):
        topt.zero_grad()
        lib.vx_optim_zero_grad(vopt)
        for i in range(3):
            if i == 1 and s < 3:              # no gradient yet: skipped by both
                continue
            g = grads[s][i]
            tp[i].grad = torch.tensor(g) if tp[i].grad is None else tp[i].grad + torch.tensor(g)
            set_grad(vp[i], g, dtype)
        topt.step()
        assert lib.vx_optim_step(vopt) == 0, err()
    worst = max(rel_err(vx_values(vp[i]), tp[i].detach().numpy().astype(np.float64)) for i in range(3))
    lib.vx_optim_release(vopt)
    for p in vp:
        lib.vx_tensor_release(p)
    return worst


for kind, kw in CONFIGS:
    for dtype, tol in ((F32, 1e-6), (F64, 1e-12)):
        e = run_optim(kind, kw, dtype)
        report(f"optim {kind} {kw} {'f32' if dtype == F32 else 'f64'} 50 steps", e <= tol, f"relative error {e:.3g} > {tol}")

# ---- schedules --------------------------------------------------------------------------
def torch_lrs(make_sched, steps):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=0.5)
    sched = make_sched(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out)


def vx_lrs(kind, n1, n2, x, steps):
    return np.array([lib.vx_lr_at(kind, 0.5, s, n1, n2, x) for s in range(steps)])


import warnings
warnings.filterwarnings("ignore")
S = torch.optim.lr_scheduler
cases = [
    ("constant", 0, 0, 0, 0.0, lambda o: S.LambdaLR(o, lambda s: 1.0)),
    ("step", 1, 7, 0, 0.3, lambda o: S.StepLR(o, step_size=7, gamma=0.3)),
    ("cosine no warmup", 2, 0, 40, 0.01, lambda o: S.CosineAnnealingLR(o, T_max=40, eta_min=0.01)),
    ("cosine warmup", 2, 10, 60, 0.02, lambda o: S.SequentialLR(o, [S.LambdaLR(o, lambda s: s / 10),
                                                                  S.CosineAnnealingLR(o, T_max=50, eta_min=0.02)], [10])),
    ("linear warmup", 3, 5, 45, 0.0, lambda o: S.LambdaLR(o, lambda s: s / 5 if s < 5 else max(0.0, (45 - s) / 40))),
]
for name, kind, n1, n2, x, make in cases:
    steps = n2 + 1 if n2 else 30
    want, got = torch_lrs(make, steps), vx_lrs(kind, n1, n2, x, steps)
    e = float(np.max(np.abs(want - got)))
    report(f"schedule {name}", e < 1e-12, f"max difference {e:.3g}")

# ---- the numbers recorded in tests/unit/test_optim.c ----------------------------------------
# The C test has the same dyadic inputs; `check_optim.py --lib LIB --emit` prints
# the block between the markers, which must equal the one in the C file.
def unit_inputs():
    p0 = [((i % 5) - 2) * 0.375 + 0.125 for i in range(6)]
    p1 = [0.5 - 0.25 * j for j in range(3)]
    return p0, p1


def unit_grad(k, i, s):
    return (((i * 3 + s * 5 + k) % 7) - 3) * 0.125


UNIT_CONFIGS = [("sgd_nesterov", torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
                ("adam", torch.optim.Adam, dict(lr=0.01)),
                ("adamw_amsgrad", torch.optim.AdamW, dict(lr=0.01, weight_decay=0.1, amsgrad=True))]


def c_array(name, values, digits=9):
    return f"static const double {name}[] = {{ " + ", ".join(f"{v:.{digits}g}" for v in values) + " };"


def unit_block():
    lines = []
    for name, cls, kw in UNIT_CONFIGS:
        p0, p1 = unit_inputs()
        t0 = torch.tensor(p0).reshape(2, 3).requires_grad_()
        t1 = torch.tensor(p1).requires_grad_()
        opt = cls([t0, t1], **kw)
        for s in range(5):
            t0.grad = torch.tensor([unit_grad(0, i, s) for i in range(6)]).reshape(2, 3)
            if s >= 2:
                t1.grad = torch.tensor([unit_grad(1, j, s) for j in range(3)])
            opt.step()
        lines.append(c_array(f"want_{name}", t0.detach().flatten().tolist() + t1.detach().tolist()))
    steps = [0, 5, 10, 20, 35, 59, 60]
    lines.append(c_array("want_cosine", torch_lrs(lambda o: S.SequentialLR(o, [S.LambdaLR(o, lambda s: s / 10),
                 S.CosineAnnealingLR(o, T_max=50, eta_min=0.02)], [10]), 61)[steps].tolist(), 17))
    lines.append(c_array("want_steplr", torch_lrs(lambda o: S.StepLR(o, step_size=7, gamma=0.3), 30)[[0, 6, 7, 20, 21, 29]].tolist(), 17))
    t0 = torch.zeros(2, 3, requires_grad=True)
    t1 = torch.zeros(3, requires_grad=True)
    t0.grad = torch.tensor([unit_grad(0, i, 0) for i in range(6)]).reshape(2, 3)
    t1.grad = torch.tensor([unit_grad(1, j, 0) for j in range(3)])
    total = float(torch.nn.utils.clip_grad_norm_([t0, t1], 0.5))
    lines.append(c_array("want_clip", [total] + t0.grad.flatten().tolist() + t1.grad.tolist()))
    return "\n".join(["/* recorded from torch 1.13 by tests/ref/check_optim.py --emit */"] + lines + ["/* end of recorded */"])


if "--emit" in sys.argv:
    print(unit_block())
    sys.exit(0)
unit_c = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "unit", "test_optim.c")
block = unit_block()
report("numbers recorded in tests/unit/test_optim.c are torch's", block in open(unit_c).read(),
       "the recorded block differs; regenerate it with --emit and review the diff")

# ---- clip_grad_norm -----------------------------------------------------------------------
for norm_type, max_norm in ((2.0, 1.0), (1.0, 0.5), (3.0, 100.0), (math.inf, 0.2)):
    rng = np.random.default_rng(3)
    gs = [rng.standard_normal(s).astype(np.float32) for s in ((4, 5), (7,), (2, 3))]
    tp = [torch.zeros(g.shape, requires_grad=True) for g in gs]
    for p, g in zip(tp, gs):
        p.grad = torch.tensor(g)
    want = float(torch.nn.utils.clip_grad_norm_(tp, max_norm, norm_type))
    vp = [vx_from(np.zeros(g.shape)) for g in gs]
    for p, g in zip(vp, gs):
        lib.vx_tensor_set_requires_grad(p, True)
        set_grad(p, g, F32)
    total = D()
    rc = lib.vx_clip_grad_norm((C.c_void_p * 3)(*vp), 3, max_norm, norm_type, C.byref(total))
    ge = 0.0
    for p, t in zip(vp, tp):
        g = lib.vx_tensor_grad(p)
        ge = max(ge, rel_err(vx_values(g), t.grad.numpy().astype(np.float64)))
        lib.vx_tensor_release(g)
        lib.vx_tensor_release(p)
    ok = rc == 0 and abs(total.value - want) <= 1e-6 * want and ge <= 1e-6
    report(f"clip_grad_norm p={norm_type} max={max_norm}", ok, f"rc {rc}, total {total.value} vs {want}, grads {ge:.3g}")

# ---- safetensors --------------------------------------------------------------------------
NP_OF = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I32": "<i4", "I64": "<i8", "U8": "u1", "BOOL": "u1"}


def own_read(path):
    """An independent reader of the format (json + struct + numpy)."""
    raw = open(path, "rb").read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    assert n % 8 == 0, "header not padded to 8 bytes"
    meta = header.pop("__metadata__", {})
    data, out, end = raw[8 + n:], {}, 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"]):
        b, e = info["data_offsets"]
        assert b == end, "offsets do not tile the data"
        end = e
        if info["dtype"] == "BF16":
            u = np.frombuffer(data[b:e], dtype="<u2").astype(np.uint32) << 16
            out[name] = u.view(np.float32).reshape(info["shape"])
        else:
            out[name] = np.frombuffer(data[b:e], dtype=NP_OF[info["dtype"]]).reshape(info["shape"])
    assert end == len(data), "data longer than the tensors"
    return out, meta


def own_write(path, tensors, meta):
    """An independent writer (alphabetical data order, like nothing in particular)."""
    header, blobs, off = {"__metadata__": meta}, [], 0
    for name, (dt, a) in tensors.items():
        b = np.ascontiguousarray(a).astype(NP_OF[dt]).tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    open(path, "wb").write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


tmp = tempfile.mkdtemp()
rng = np.random.default_rng(5)
mine = {
    "w.f32": (F32, rng.standard_normal((3, 4))), "f64": (F64, rng.standard_normal((2, 2, 2))),
    "bf16": (BF16, rng.standard_normal(5)), "f16": (F16, rng.standard_normal((2, 3))),
    "i32": (I32, rng.integers(-1000, 1000, 6)), "i64": (I64_, rng.integers(-2**40, 2**40, (2, 1))),
    "u8": (U8, rng.integers(0, 256, 7)), "bool": (BOOL, rng.integers(0, 2, (3,))),
    "scalar": (F32, np.array(2.5)), "empty": (F32, np.zeros((0, 3))), "naïve \"q\"": (F64, np.arange(3.0)),
}
names = list(mine)
ts = [vx_from(a, dt) for dt, a in mine.values()]
vals = {n: vx_values(t) for n, t in zip(names, ts)}
path = os.path.join(tmp, "vx.safetensors")
keys, values = [b"format", b"note"], [b"pt", "ünï\n".encode()]
rc = lib.vx_safetensors_save(path.encode(), (CP * len(names))(*[n.encode() for n in names]),
                             (C.c_void_p * len(ts))(*ts), len(ts), (CP * 2)(*keys), (CP * 2)(*values), 2)
report("safetensors save", rc == 0, err())
for t in ts:
    lib.vx_tensor_release(t)
got, meta = own_read(path)
ok = meta == {"format": "pt", "note": "ünï\n"} and set(got) == set(names) and all(
    np.array_equal(got[n].astype(np.float64), vals[n]) for n in names)
report("safetensors: Vortex file read by an independent reader", ok, f"meta {meta}")
if st_ref is not None:
    from safetensors import safe_open
    ref = st_ref.load_file(path)
    with safe_open(path, framework="pt") as f:
        ref_meta = f.metadata()
    ok = ref_meta == meta and set(ref) == set(names) and all(
        ref[n].dtype == TORCH_DT[mine[n][0]] and np.array_equal(ref[n].double().numpy(), vals[n]) for n in names)
    report("safetensors: Vortex file read by the safetensors package", ok, f"{ref_meta}")
    theirs = {"a": torch.randn(3, 5), "b": torch.randn(4, dtype=torch.float64), "c": torch.randn(2, 2).bfloat16(),
              "d": torch.randn(3).half(), "e": torch.arange(-3, 3, dtype=torch.int32), "f": torch.arange(4),
              "g": torch.arange(200, 206, dtype=torch.uint8), "h": torch.tensor([True, False, True]),
              "s": torch.tensor(1.5)}
    path2 = os.path.join(tmp, "ref.safetensors")
    st_ref.save_file(theirs, path2, metadata={"k": "v"})
    srcs = [(path2, {k: v.double().numpy() for k, v in theirs.items()}, {"k": "v"})]
else:
    print("skip safetensors package checks: `import safetensors` failed (pip install safetensors)")
path3 = os.path.join(tmp, "own.safetensors")
own = {"x": ("F32", rng.standard_normal((2, 3)).astype(np.float32)), "y": ("I64", np.arange(5)), "z": ("BOOL", np.array([1, 0]))}
own_write(path3, own, {"m": "1"})
srcs = (srcs if st_ref is not None else []) + [(path3, {k: a.astype(np.float64) for k, (dt, a) in own.items()}, {"m": "1"})]
for p, want, want_meta in srcs:
    f = lib.vx_safetensors_load(p.encode())
    ok, why = bool(f), err()
    if f:
        n = lib.vx_safetensors_count(f)
        got = {}
        for i in range(n):
            t = lib.vx_safetensors_tensor(f, i)
            got[lib.vx_safetensors_name(f, i).decode()] = vx_values(t)
            lib.vx_tensor_release(t)
        ok = set(got) == set(want) and all(np.array_equal(got[k], want[k]) for k in want)
        ok = ok and all(lib.vx_safetensors_meta_get(f, k.encode()).decode() == v for k, v in want_meta.items())
        why = f"names {sorted(got)}"
        lib.vx_safetensors_free(f)
    report(f"safetensors: {os.path.basename(p)} loaded by Vortex", ok, why)

report("no tensor outlives the checks", lib.vx_tensor_live_tensors() == 0, f"{lib.vx_tensor_live_tensors()} live")
sys.exit(1 if failures else 0)
