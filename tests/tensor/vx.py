"""vx.py - ctypes binding of libvxtensor.so (src/tensor/tensor.h) for the
verification harness.

Every tensor the harness gets from the library goes through a Scope, which
releases all of them at the end of a case, so the live-tensor counter can
be checked to return to its start value (a leak test for free).  Data moves
as raw bytes: torch -> contiguous bytes -> vx_tensor_from_data, and back by
reading the strided elements at vx_tensor_data (which already includes the
view's offset) with the tensor's own shape and strides."""
import ctypes
import numpy as np
import torch

# enum VxDtype, in header order.
F32, F64, BF16, F16, I32, I64, U8, BOOL = range(8)
NAMES = ["f32", "f64", "bf16", "f16", "i32", "i64", "u8", "bool"]
TORCH = [torch.float32, torch.float64, torch.bfloat16, torch.float16,
         torch.int32, torch.int64, torch.uint8, torch.bool]
# numpy view of the raw bits (bf16 has no numpy type: read as int16).
RAW = [np.float32, np.float64, np.int16, np.float16, np.int32, np.int64,
       np.uint8, np.bool_]
FLOATS = (F32, F64, BF16, F16)


def vx_dtype(tdtype):
    return TORCH.index(tdtype)


P = ctypes.c_void_p
I64P = ctypes.POINTER(ctypes.c_int64)
INTP = ctypes.POINTER(ctypes.c_int)
c_int, c_i64, c_dbl, c_bool, c_u64 = (ctypes.c_int, ctypes.c_int64, ctypes.c_double,
                                      ctypes.c_bool, ctypes.c_uint64)

# name -> (restype, argtypes)
_SIGS = {
    "vx_dtype_name": (ctypes.c_char_p, [c_int]),
    "vx_dtype_torch_name": (ctypes.c_char_p, [c_int]),
    "vx_dtype_size": (ctypes.c_size_t, [c_int]),
    "vx_dtype_is_float": (c_bool, [c_int]),
    "vx_dtype_promote": (c_int, [c_int, c_int]),
    "vx_tensor_last_error": (ctypes.c_char_p, []),
    "vx_tensor_clear_error": (None, []),
    "vx_tensor_live_tensors": (c_i64, []),
    "vx_tensor_retain": (P, [P]),
    "vx_tensor_release": (None, [P]),
    "vx_tensor_ndim": (c_int, [P]),
    "vx_tensor_dim": (c_i64, [P, c_int]),
    "vx_tensor_stride": (c_i64, [P, c_int]),
    "vx_tensor_numel": (c_i64, [P]),
    "vx_tensor_dtype": (c_int, [P]),
    "vx_tensor_is_contiguous": (c_bool, [P]),
    "vx_tensor_data": (P, [P]),
    "vx_tensor_type_str": (ctypes.c_char_p, [P, ctypes.c_char_p, ctypes.c_size_t]),
    "vx_empty": (P, [I64P, c_int, c_int]),
    "vx_zeros": (P, [I64P, c_int, c_int]),
    "vx_ones": (P, [I64P, c_int, c_int]),
    "vx_full": (P, [I64P, c_int, c_int, c_dbl]),
    "vx_scalar": (P, [c_dbl, c_int]),
    "vx_arange": (P, [c_dbl, c_dbl, c_dbl, c_int]),
    "vx_linspace": (P, [c_dbl, c_dbl, c_i64, c_int]),
    "vx_eye": (P, [c_i64, c_i64, c_int]),
    "vx_rand": (P, [I64P, c_int, c_int, c_u64]),
    "vx_randn": (P, [I64P, c_int, c_int, c_u64]),
    "vx_randint": (P, [c_i64, c_i64, I64P, c_int, c_int, c_u64]),
    "vx_tensor_from_f64": (P, [ctypes.POINTER(c_dbl), I64P, c_int, c_int]),
    "vx_tensor_from_data": (P, [P, I64P, c_int, c_int]),
    "vx_zeros_like": (P, [P]),
    "vx_ones_like": (P, [P]),
    "vx_full_like": (P, [P, c_dbl]),
    "vx_randn_like": (P, [P, c_u64]),
    "vx_transpose": (P, [P, c_int, c_int]),
    "vx_permute": (P, [P, INTP, c_int]),
    "vx_slice": (P, [P, c_int, c_i64, c_i64, c_i64]),
    "vx_select": (P, [P, c_int, c_i64]),
    "vx_reshape": (P, [P, I64P, c_int]),
    "vx_view": (P, [P, I64P, c_int]),
    "vx_expand": (P, [P, I64P, c_int]),
    "vx_squeeze": (P, [P, c_int]),
    "vx_squeeze_all": (P, [P]),
    "vx_unsqueeze": (P, [P, c_int]),
    "vx_contiguous": (P, [P]),
    "vx_clone": (P, [P]),
    "vx_to": (P, [P, c_int]),
    "vx_tensor_get_f64": (c_int, [P, I64P, ctypes.POINTER(c_dbl)]),
    "vx_tensor_get_i64": (c_int, [P, I64P, ctypes.POINTER(c_i64)]),
    "vx_tensor_set_f64": (c_int, [P, I64P, c_dbl]),
    "vx_tensor_set_i64": (c_int, [P, I64P, c_i64]),
    "vx_tensor_item_f64": (c_int, [P, ctypes.POINTER(c_dbl)]),
    "vx_tensor_copy_": (c_int, [P, P]),
    "vx_tensor_fill_": (c_int, [P, c_dbl]),
    "vx_tensor_format": (c_i64, [P, ctypes.c_char_p, ctypes.c_size_t]),
    "vx_where": (P, [P, P, P]),
    "vx_clamp": (P, [P, c_dbl, c_dbl]),
    "vx_var": (P, [P, INTP, c_int, c_dbl, c_bool]),
    "vx_std": (P, [P, INTP, c_int, c_dbl, c_bool]),
    "vx_sum_to_shape": (P, [P, I64P, c_int]),
    "vx_matmul": (P, [P, P]),
    "vx_tensor_set_requires_grad": (c_int, [P, c_bool]),
    "vx_tensor_requires_grad": (c_bool, [P]),
    "vx_tensor_grad": (P, [P]),
    "vx_zero_grad": (c_int, [P]),
    "vx_tensor_grad_fn_name": (ctypes.c_char_p, [P]),
    "vx_backward": (c_int, [P, P]),
    "vx_detach": (P, [P]),
    "vx_no_grad_push": (None, []),
    "vx_no_grad_pop": (None, []),
    "vx_grad_enabled": (c_bool, []),
}
BINARY = ["add", "sub", "mul", "div", "pow", "maximum", "minimum"]
COMPARE = ["eq", "ne", "lt", "le", "gt", "ge"]
UNARY = ["neg", "exp", "log", "sqrt", "rsqrt", "tanh", "sigmoid", "relu", "gelu",
         "gelu_tanh", "silu", "softplus", "abs"]
REDUCE = ["sum", "mean", "prod", "max", "min", "logsumexp", "argmax", "argmin"]
for _n in BINARY + COMPARE:
    _SIGS["vx_" + _n] = (P, [P, P])
    _SIGS["vx_%s_s" % _n] = (P, [P, c_dbl])
for _n in UNARY:
    _SIGS["vx_" + _n] = (P, [P])
for _n in REDUCE:
    _SIGS["vx_" + _n] = (P, [P, INTP, c_int, c_bool])


class MemStats(ctypes.Structure):
    _fields_ = [(n, c_i64) for n in ("live_tensors", "live_storages", "live_nodes",
                                     "live_bytes", "peak_bytes", "allocations",
                                     "cached_bytes", "peak_held_bytes")]


_SIGS["vx_tensor_mem_stats"] = (None, [ctypes.POINTER(MemStats)])
_SIGS["vx_tensor_reset_peak"] = (None, [])
_SIGS["vx_tensor_trim_cache"] = (None, [])
_SIGS["vx_tensor_fail_alloc_after"] = (None, [c_i64])
_SIGS["vx_rng_normal"] = (c_dbl, [P])
_SIGS["vx_tensor_fprint"] = (c_int, [P, P])
_SIGS["vx_backend_get"] = (P, [c_int])


class VxError(Exception):
    pass


class Lib:
    """The loaded library: lib.fn(...) calls vx_fn with declared types."""

    def __init__(self, path):
        self.dll = ctypes.CDLL(path)
        self.extra_sigs = {}
        for name, (res, args) in _SIGS.items():
            self._declare(name, res, args)

    def _declare(self, name, res, args):
        f = getattr(self.dll, name)
        f.restype, f.argtypes = res, args
        setattr(self, name[3:], f)

    def declare(self, sigs):
        """Declare more functions (tensor_nn.h), skipping ones not built."""
        missing = []
        for name, (res, args) in sigs.items():
            if hasattr(self.dll, name):
                self._declare(name, res, args)
            else:
                missing.append(name)
        return missing

    def error(self):
        return self.tensor_last_error().decode()

    def live(self):
        """What must return to its start value after a case."""
        m = MemStats()
        self.tensor_mem_stats(ctypes.byref(m))
        return {"tensors": m.live_tensors, "storages": m.live_storages, "nodes": m.live_nodes,
                "bytes": m.live_bytes}

    def mem(self):
        m = MemStats()
        self.tensor_mem_stats(ctypes.byref(m))
        return m


def shape_arg(shape):
    return (c_i64 * max(1, len(shape)))(*shape), len(shape)


def dims_arg(dims):
    if dims is None:
        return None, 0
    return (c_int * max(1, len(dims)))(*dims), len(dims)


class Scope:
    """Owns every tensor reference handed out during one case."""

    def __init__(self, lib):
        self.lib = lib
        self.refs = []

    def own(self, ptr, what="op"):
        if not ptr:
            raise VxError("%s failed: %s" % (what, self.lib.error()))
        self.refs.append(ptr)
        return ptr

    def call(self, name, *args):
        return self.own(getattr(self.lib, name)(*args), "vx_" + name)

    def release_all(self):
        for p in reversed(self.refs):
            self.lib.tensor_release(p)
        self.refs = []

    # ---- data in and out ------------------------------------------------
    def from_torch(self, t, requires_grad=False):
        t = t.detach().contiguous()
        d = vx_dtype(t.dtype)
        raw = t.view(torch.int16) if t.dtype == torch.bfloat16 else t
        arr = np.ascontiguousarray(raw.numpy())
        shp, nd = shape_arg(list(t.shape))
        p = self.own(self.lib.tensor_from_data(arr.ctypes.data_as(P), shp, nd, d),
                     "vx_tensor_from_data")
        if requires_grad and self.lib.tensor_set_requires_grad(p, True) != 0:
            raise VxError("set_requires_grad: " + self.lib.error())
        return p

    def to_torch(self, p):
        return read_tensor(self.lib, p)

    def grad(self, p):
        return self.to_torch(self.call("tensor_grad", p))


def geometry(lib, p):
    nd = lib.tensor_ndim(p)
    shape = [lib.tensor_dim(p, i) for i in range(nd)]
    strides = [lib.tensor_stride(p, i) for i in range(nd)]
    return shape, strides


def read_tensor(lib, p):
    """The tensor's elements as a torch tensor, honouring strides and offset."""
    d = lib.tensor_dtype(p)
    shape, strides = geometry(lib, p)
    raw = RAW[d]
    es = np.dtype(raw).itemsize
    if 0 in shape:
        arr = np.zeros(shape, dtype=raw)
    else:
        if any(s < 0 for s in strides):
            raise VxError("negative stride %s" % strides)
        span = 1 + sum((n - 1) * s for n, s in zip(shape, strides))
        addr = lib.tensor_data(p)
        if not addr:
            raise VxError("vx_tensor_data returned NULL for a non-empty tensor")
        buf = (ctypes.c_char * (span * es)).from_address(addr)
        flat = np.frombuffer(buf, dtype=raw, count=span)
        arr = np.lib.stride_tricks.as_strided(
            flat, shape=shape, strides=[s * es for s in strides]).copy()
    t = torch.from_numpy(np.array(arr, copy=True, order="C"))
    return t.view(torch.bfloat16) if d == BF16 else t


def fmt(lib, p):
    n = lib.tensor_format(p, None, 0)
    if n < 0:
        raise VxError("vx_tensor_format: " + lib.error())
    buf = ctypes.create_string_buffer(n + 1)
    lib.tensor_format(p, buf, n + 1)
    return buf.value.decode()
