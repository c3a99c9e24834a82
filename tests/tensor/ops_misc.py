"""ops_misc.py - checks of tensor.h that are not one op on random inputs:
dtype table and promotion, creation and the random generator, element
access, autodiff bookkeeping, error messages.  Each is a custom case
fn(ctx, S, dtype, fail)."""
import ctypes
import math
import numpy as np
import torch

import vx
from vx import F32, F64, BF16, F16, I32, I64, U8, BOOL, NAMES, TORCH, shape_arg
from harness import custom, compare

ALL = tuple(range(8))


def _eq(fail, what, got, want, rtol=0.0, atol=0.0):
    m = compare(got, want, rtol, atol)
    if m:
        fail(what, m)
    if got.dtype != want.dtype:
        fail(what, "dtype %s, torch %s" % (got.dtype, want.dtype))


# ---- dtypes --------------------------------------------------------------------------
def dtype_table(ctx, S, dt, fail):
    lib = ctx.lib
    for d in ALL:
        if lib.dtype_name(d).decode() != NAMES[d]:
            fail("name", "%d: %s" % (d, lib.dtype_name(d)))
        if lib.dtype_torch_name(d).decode() != str(TORCH[d]):
            fail("torch_name", "%s: %s, torch %s" % (NAMES[d], lib.dtype_torch_name(d), TORCH[d]))
        if lib.dtype_size(d) != torch.empty(0, dtype=TORCH[d]).element_size():
            fail("size", NAMES[d])
        if lib.dtype_is_float(d) != TORCH[d].is_floating_point:
            fail("is_float", NAMES[d])
        for e in ALL:
            want = vx.vx_dtype(torch.promote_types(TORCH[d], TORCH[e]))
            got = lib.dtype_promote(d, e)
            if got != want:
                fail("promote", "%s with %s gives %s, torch %s" % (NAMES[d], NAMES[e],
                                                                  NAMES[got], NAMES[want]))


# ---- creation ----------------------------------------------------------------------------
def creation(ctx, S, dt, fail):
    lib = ctx.lib
    sh, nd = shape_arg([3, 5])
    for d in ALL:
        t = TORCH[d]
        _eq(fail, "zeros " + NAMES[d], S.to_torch(S.call("zeros", sh, nd, d)), torch.zeros(3, 5, dtype=t))
        _eq(fail, "ones " + NAMES[d], S.to_torch(S.call("ones", sh, nd, d)), torch.ones(3, 5, dtype=t))
        val = 2.5 if t.is_floating_point else (1.0 if d == BOOL else (7.0 if d == U8 else -3.0))
        _eq(fail, "full " + NAMES[d], S.to_torch(S.call("full", sh, nd, d, val)),
            torch.full((3, 5), val if d != BOOL else True, dtype=t))
        _eq(fail, "scalar " + NAMES[d], S.to_torch(S.call("scalar", val, d)),
            torch.tensor(val, dtype=t) if d != BOOL else torch.tensor(True))
        e = S.call("empty", sh, nd, d)
        if vx.geometry(lib, e)[0] != [3, 5] or lib.tensor_dtype(e) != d:
            fail("empty", NAMES[d])
    for a, b, s, d in ((0, 10, 1, F32), (1, 2, 0.3, F64), (-3, 7, 2, I64), (0, 1, 0.1, F32),
                       (5, -1, -1.5, F64), (0, 5, 1, I32)):
        _eq(fail, "arange(%g, %g, %g) %s" % (a, b, s, NAMES[d]), S.to_torch(S.call("arange", a, b, s, d)),
            torch.arange(a, b, s, dtype=TORCH[d]), 1e-6, 1e-7)
    for a, b, n, d in ((0, 1, 7, F32), (-2, 3, 1, F64), (0, 1, 0, F32), (-1, 1, 101, F64), (3, -3, 5, F32)):
        _eq(fail, "linspace(%g, %g, %d) %s" % (a, b, n, NAMES[d]), S.to_torch(S.call("linspace", a, b, n, d)),
            torch.linspace(a, b, n, dtype=TORCH[d]), 1e-6, 1e-7)
    for n, m, d in ((3, 5, F32), (4, 4, I32), (5, 2, F64), (0, 3, F32)):
        _eq(fail, "eye(%d, %d)" % (n, m), S.to_torch(S.call("eye", n, m, d)), torch.eye(n, m, dtype=TORCH[d]))
    s2, n2 = shape_arg([2, 3])
    for d in (F32, F64, BF16, F16, I32, I64, BOOL):
        # 1e10 does not fit an i32: the integer rows use 7 instead.
        data = [1.5, -2.7, 3.99, 0.0, -0.5, 1e10 if TORCH[d].is_floating_point else 7.0]
        want = torch.tensor(data, dtype=torch.float64).to(TORCH[d]).reshape(2, 3)
        got = S.to_torch(S.call("tensor_from_f64", (ctypes.c_double * 6)(*data), s2, n2, d))
        _eq(fail, "from_f64 " + NAMES[d], got, want)
    base = S.call("transpose", S.from_torch(torch.randn(5, 3, dtype=torch.float64)), 0, 1)
    for name, want in (("zeros_like", torch.zeros(3, 5, dtype=torch.float64)),
                       ("ones_like", torch.ones(3, 5, dtype=torch.float64))):
        _eq(fail, name, S.to_torch(S.call(name, base)), want)
    _eq(fail, "full_like", S.to_torch(S.call("full_like", base, -1.25)),
        torch.full((3, 5), -1.25, dtype=torch.float64))
    r = S.to_torch(S.call("randn_like", base, 5))
    if list(r.shape) != [3, 5] or r.dtype != torch.float64:
        fail("randn_like", "shape %s dtype %s" % (list(r.shape), r.dtype))


def _rand(S, kind, seed, n=20000, d=F64, lo=0, hi=0):
    sh, nd = shape_arg([n])
    if kind == "randint":
        return S.to_torch(S.call("randint", lo, hi, sh, nd, d, seed))
    return S.to_torch(S.call(kind, sh, nd, d, seed))


def random_tensors(ctx, S, dt, fail):
    seed = int(ctx.rng.integers(1, 2 ** 62))
    for kind in ("rand", "randn"):
        a, b, c = _rand(S, kind, seed), _rand(S, kind, seed), _rand(S, kind, seed + 1)
        if not torch.equal(a, b):
            fail(kind, "the same seed gave different tensors")
        if torch.equal(a, c):
            fail(kind, "seeds %d and %d gave the same tensor" % (seed, seed + 1))
        mean, std = a.mean().item(), a.std().item()
        want_m, want_s = (0.5, math.sqrt(1 / 12)) if kind == "rand" else (0.0, 1.0)
        if abs(mean - want_m) > 0.03 or abs(std - want_s) > 0.03:
            fail(kind, "mean %.4f std %.4f, expected %.4f %.4f" % (mean, std, want_m, want_s))
        if kind == "rand" and (a.min() < 0 or a.max() >= 1):
            fail(kind, "outside [0, 1): %g .. %g" % (a.min(), a.max()))
    for d in (F32, BF16, F16):
        r = _rand(S, "rand", seed, 5000, d)
        if r.dtype != TORCH[d] or r.float().min() < 0 or r.float().max() > 1:
            fail("rand " + NAMES[d], "dtype %s range %g .. %g" % (r.dtype, r.float().min(), r.float().max()))
    for d in (I64, I32, U8):
        lo = 0 if d == U8 else -3
        r = _rand(S, "randint", seed, 5000, d, lo, 4)
        got = set(r.tolist())
        if r.dtype != TORCH[d] or got != set(range(lo, 4)):
            fail("randint " + NAMES[d], "dtype %s values %s" % (r.dtype, sorted(got)))
    check_rng_spec(ctx, S, seed, fail)


M64 = (1 << 64) - 1


def _splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def _rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


def _xoshiro(s):
    result = (_rotl((s[1] * 5) & M64, 7) * 9) & M64
    t = (s[1] << 17) & M64
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


def check_rng_spec(ctx, S, seed, fail):
    """tensor.h specifies xoshiro256** seeded through splitmix64 and
    uniforms with 53 random bits: check vx_rng_* against that."""
    lib = ctx.lib
    for name, res, args in (("vx_rng_seed", None, [ctypes.c_void_p, ctypes.c_uint64]),
                            ("vx_rng_next", ctypes.c_uint64, [ctypes.c_void_p]),
                            ("vx_rng_uniform", ctypes.c_double, [ctypes.c_void_p])):
        f = getattr(lib.dll, name)
        f.restype, f.argtypes = res, args
    r = (ctypes.c_uint64 * 4)()
    lib.dll.vx_rng_seed(r, seed)
    st, s = seed, []
    for _ in range(4):
        st, z = _splitmix(st)
        s.append(z)
    if list(r) != s:
        fail("rng_seed", "state %s, splitmix64 gives %s" % (list(r), s))
        return
    for i in range(8):
        got, want = lib.dll.vx_rng_next(r), _xoshiro(s)
        if got != want:
            fail("rng_next", "output %d: %d, xoshiro256** gives %d" % (i, got, want))
            return
    u, want = lib.dll.vx_rng_uniform(r), (_xoshiro(s) >> 11) * 2.0 ** -53
    if u != want:
        fail("rng_uniform", "%r, (next >> 11) * 2^-53 gives %r" % (u, want))
    z = torch.tensor([lib.rng_normal(r) for _ in range(20000)], dtype=torch.float64)
    if abs(z.mean().item()) > 0.03 or abs(z.std().item() - 1) > 0.03 or not torch.isfinite(z).all():
        fail("rng_normal", "mean %.4f std %.4f of 20000 draws" % (z.mean().item(), z.std().item()))


# ---- elements ---------------------------------------------------------------------------------
def elements(ctx, S, dt, fail):
    lib = ctx.lib
    base_t = torch.from_numpy(ctx.rng.standard_normal((5, 3)))
    base = S.from_torch(base_t)
    t = S.call("transpose", base, 0, 1)           # [3, 5] view
    tt = base_t.t()
    out = ctypes.c_double()
    for idx in ([1, 2], [-1, -2], [0, 4]):
        ia, _ = shape_arg(idx)
        if lib.tensor_get_f64(t, ia, ctypes.byref(out)) != 0 or out.value != tt[tuple(idx)].item():
            fail("get_f64", "%s: %r, torch %r (%s)" % (idx, out.value, tt[tuple(idx)].item(), lib.error()))
    for idx in ([3, 0], [0, -6]):
        if lib.tensor_get_f64(t, shape_arg(idx)[0], ctypes.byref(out)) != -1 or not lib.error():
            fail("get_f64", "index %s out of range of [3, 5] did not fail with a message" % idx)
        lib.tensor_clear_error()
    if lib.tensor_set_f64(t, shape_arg([2, 1])[0], 42.5) != 0:
        fail("set_f64", lib.error())
    tt[2, 1] = 42.5
    _eq(fail, "set_f64 through a view", S.to_torch(base), base_t)
    i64 = S.from_torch(torch.zeros(2, 2, dtype=torch.int64))
    big = 2 ** 53 + 1
    iv = ctypes.c_int64()
    if (lib.tensor_set_i64(i64, shape_arg([1, 0])[0], big) != 0 or
            lib.tensor_get_i64(i64, shape_arg([1, 0])[0], ctypes.byref(iv)) != 0 or iv.value != big):
        fail("set/get_i64", "2^53+1 came back as %d" % iv.value)
    one = S.call("select", S.call("select", t, 0, 2), 0, 1)
    if lib.tensor_item_f64(one, ctypes.byref(out)) != 0 or out.value != 42.5:
        fail("item_f64", "%r" % out.value)
    if lib.tensor_item_f64(t, ctypes.byref(out)) != -1:
        fail("item_f64", "a 15-element tensor gave an item")
    lib.tensor_clear_error()
    # copy_: broadcast f32 [5] into the transposed f64 view, then fill_ a slice.
    src_t = torch.from_numpy(ctx.rng.standard_normal(5).astype(np.float32))
    if lib.tensor_copy_(t, S.from_torch(src_t)) != 0:
        fail("copy_", lib.error())
    tt.copy_(src_t)
    _eq(fail, "copy_ broadcast + convert", S.to_torch(base), base_t)
    sl = S.call("slice", t, 1, 1, 5, 2)
    if lib.tensor_fill_(sl, -7.0) != 0:
        fail("fill_", lib.error())
    tt[:, 1:5:2] = -7.0
    _eq(fail, "fill_ a strided slice", S.to_torch(base), base_t)
    if lib.tensor_copy_(t, S.from_torch(torch.zeros(4))) != -1:
        fail("copy_", "a [4] source into [3, 5] did not fail")
    lib.tensor_clear_error()


# ---- autodiff bookkeeping -----------------------------------------------------------------------------
def grad_of(S, p):
    return S.to_torch(S.call("tensor_grad", p))


def autodiff(ctx, S, dt, fail):
    lib = ctx.lib
    xt = torch.from_numpy(ctx.rng.standard_normal((3, 4)))
    x = S.from_torch(xt, True)
    _eq(fail, "grad before backward", grad_of(S, x), torch.zeros(3, 4, dtype=torch.float64))
    y = S.call("add", S.call("mul", x, x), x)             # x used three times
    loss = S.call("sum", y, None, 0, False)
    if lib.backward(loss, None) != 0:
        fail("backward", lib.error())
    _eq(fail, "accumulate over repeated uses", grad_of(S, x), 2 * xt + 1, 1e-12, 1e-12)
    if lib.backward(loss, None) != -1 or not lib.error():
        fail("second backward", "did not fail with a message")
    lib.tensor_clear_error()
    loss2 = S.call("sum", S.call("mul_s", x, 3.0), None, 0, False)
    lib.backward(loss2, None)
    _eq(fail, "grads accumulate across backward calls", grad_of(S, x), 2 * xt + 4, 1e-12, 1e-12)
    lib.zero_grad(x)
    _eq(fail, "zero_grad", grad_of(S, x), torch.zeros(3, 4, dtype=torch.float64))
    d = S.call("detach", x)
    if lib.tensor_requires_grad(d) or lib.tensor_data(d) != lib.tensor_data(x):
        fail("detach", "requires grad or does not share storage")
    lib.no_grad_push()
    if lib.grad_enabled():
        fail("no_grad", "grad still enabled after push")
    z = S.call("mul", x, x)
    lib.no_grad_pop()
    if lib.tensor_requires_grad(z) or lib.tensor_grad_fn_name(z) is not None:
        fail("no_grad", "an op under no_grad recorded a node")
    if not lib.grad_enabled():
        fail("no_grad", "grad not enabled after pop")
    if lib.tensor_set_requires_grad(S.from_torch(torch.ones(3, dtype=torch.int32)), True) != -1:
        fail("requires_grad", "an i32 tensor accepted requires_grad")
    lib.tensor_clear_error()
    if lib.tensor_set_requires_grad(S.call("mul", x, x), True) != -1:
        fail("requires_grad", "a non-leaf accepted requires_grad")
    lib.tensor_clear_error()
    if lib.backward(S.call("mul", x, x), None) != -1:
        fail("backward", "a [3, 4] root without a seed did not fail")
    lib.tensor_clear_error()
    if lib.tensor_grad(S.from_torch(torch.ones(2))):
        fail("grad", "a tensor without requires_grad returned a gradient")
    lib.tensor_clear_error()
    lib.zero_grad(x)
    long_chain(ctx, S, x, xt, fail)


def long_chain(ctx, S, x, xt, fail):
    """A 5000-node graph: backward and release must not recurse."""
    lib = ctx.lib
    y = x
    for _ in range(5000):
        y = S.call("add_s", y, 1e-3)
    loss = S.call("sum", y, None, 0, False)
    if lib.backward(loss, None) != 0:
        fail("long chain", lib.error())
    _eq(fail, "long chain gradient", grad_of(S, x), torch.ones(3, 4, dtype=torch.float64))


# ---- errors ------------------------------------------------------------------------------------------------
def errors(ctx, S, dt, fail):
    lib = ctx.lib
    a = S.from_torch(torch.zeros(2, 3))
    b, c = S.from_torch(torch.zeros(4, 5)), S.from_torch(torch.zeros(4))
    want = {
        "matmul": ("cannot multiply Tensor<f32, [2, 3]> @ Tensor<f32, [4, 5]>: "
                   "inner dimensions 3 and 4 differ", lambda: lib.matmul(a, b)),
        "add": ("cannot broadcast Tensor<f32, [2, 3]> + Tensor<f32, [4]>: dimensions 3 and 4 differ",
                lambda: lib.add(a, c)),
    }
    for name, (msg, call) in want.items():
        start = lib.tensor_live_tensors()
        p = call()
        if p:
            S.own(p)
            fail(name, "did not fail")
        elif lib.error() != msg:
            fail(name, "message %r, expected %r" % (lib.error(), msg))
        if lib.tensor_live_tensors() != start:
            fail(name, "a failed op leaked a tensor")
        lib.tensor_clear_error()
    buf = ctypes.create_string_buffer(64)
    if lib.tensor_type_str(a, buf, 64).decode() != "Tensor<f32, [2, 3]>":
        fail("type_str", buf.value.decode())
    t = S.call("transpose", S.from_torch(torch.zeros(5, 3)), 0, 1)
    p = lib.view(t, *shape_arg([15]))
    if p:
        S.own(p)
        fail("view", "a transposed tensor viewed as [15] without copying")
    elif not lib.error():
        fail("view", "no message")
    lib.tensor_clear_error()
    for name, call in (("transpose", lambda: lib.transpose(a, 0, 2)), ("select", lambda: lib.select(a, 1, 3)),
                       ("reshape", lambda: lib.reshape(a, *shape_arg([4]))),
                       ("expand", lambda: lib.expand(a, *shape_arg([2, 4]))),
                       ("sum dim", lambda: lib.sum(a, *vx.dims_arg([2]), False)),
                       ("slice step 0", lambda: lib.slice(a, 0, 0, 2, 0))):
        p = call()
        if p:
            S.own(p)
            fail(name, "out-of-range argument did not fail")
        elif not lib.error():
            fail(name, "failed without a message")
        lib.tensor_clear_error()
    lib.tensor_fail_alloc_after(1)
    p = lib.zeros(*shape_arg([4, 4]), F32)
    lib.tensor_fail_alloc_after(0)
    if p:
        S.own(p)
        fail("out of memory", "the injected allocation failure was ignored")
    elif "out of memory" not in lib.error():
        fail("out of memory", "message %r" % lib.error())
    lib.tensor_clear_error()
    lib.dll.vx_tensor_set_error(b"backend says %d", ctypes.c_int(42))
    if lib.error() != "backend says 42":
        fail("set_error", repr(lib.error()))
    lib.tensor_clear_error()
    if not lib.backend_get(0) or lib.backend_get(0) != ctypes.addressof(
            ctypes.c_char.in_dll(lib.dll, "vx_cpu_backend")):
        fail("backend_get", "VX_DEV_CPU does not give vx_cpu_backend")


def memory(ctx, S, dt, fail):
    """mem_stats counts storage bytes; reset_peak; numel/ndim/dim/stride."""
    lib = ctx.lib
    before = lib.mem()
    t = S.call("zeros", *shape_arg([10, 100]), F64)
    after = lib.mem()
    if after.live_bytes - before.live_bytes < 8000 or after.live_storages != before.live_storages + 1:
        fail("mem_stats", "an [10, 100] f64 tensor added %d bytes, %d storages"
             % (after.live_bytes - before.live_bytes, after.live_storages - before.live_storages))
    if after.peak_bytes < after.live_bytes or after.allocations <= before.allocations:
        fail("mem_stats", "peak %d < live %d or allocations did not grow"
             % (after.peak_bytes, after.live_bytes))
    v = S.call("transpose", t, 0, 1)
    if lib.mem().live_storages != after.live_storages:
        fail("mem_stats", "a view allocated a storage")
    lib.tensor_reset_peak()
    if lib.mem().peak_bytes != lib.mem().live_bytes:
        fail("reset_peak", "peak %d, live %d" % (lib.mem().peak_bytes, lib.mem().live_bytes))
    if (lib.tensor_numel(v) != 1000 or lib.tensor_ndim(v) != 2 or lib.tensor_dim(v, -1) != 10
            or lib.tensor_stride(v, 0) != 1 or lib.tensor_is_contiguous(v)):
        fail("properties", "numel/ndim/dim(-1)/stride/is_contiguous of a transposed [10, 100]")


CASES = [custom("dtype", "dtype table and promotion", dtype_table),
         custom("creation", "zeros ones full scalar arange linspace eye from_f64 *_like", creation),
         custom("creation", "rand randn randint and the rng spec", random_tensors),
         custom("elements", "get set item copy_ fill_", elements),
         custom("autodiff", "accumulation, zero_grad, detach, no_grad, long chains", autodiff),
         custom("errors", "messages, bad arguments, injected out of memory", errors),
         custom("memory", "mem_stats, reset_peak, tensor properties", memory)]
