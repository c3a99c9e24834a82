"""format_cases.py - vx_tensor_format must print exactly what str(t) prints
in torch with default print options."""
import ctypes
import math
import torch

import vx
from harness import custom


def _g(rng):
    return torch.Generator().manual_seed(int(rng.integers(0, 2 ** 31)))


def tensors(rng):
    g = _g(rng)
    rn = lambda *s, dtype=torch.float32: torch.randn(*s, generator=g, dtype=dtype)
    return [
        ("ints i64", torch.arange(6).reshape(2, 3)),
        ("ints i32", torch.tensor([[1, -20, 300], [4, 5, 6]], dtype=torch.int32)),
        ("negative ints", torch.tensor([-1000000, 2, 3])),
        ("u8", torch.tensor([0, 7, 255], dtype=torch.uint8)),
        ("floats", rn(3, 4)),
        ("integral floats", torch.tensor([1.0, 2.0, -3.0])),
        ("large magnitude", torch.tensor([1e10, 1.0, -2.5])),
        ("small magnitude", torch.tensor([1e-5, 0.3, 2.0])),
        ("tiny only", torch.tensor([1e-7, 2e-8])),
        ("huge integral", torch.tensor([1e20, 3.0])),
        ("mixed scale 3-D", rn(2, 3, 4) * torch.tensor([1.0, 100.0, 1e-3, 10.0])),
        ("nan inf", torch.tensor([math.nan, math.inf, -math.inf, 1.5])),
        ("only nan", torch.tensor([math.nan])),
        ("negative zero", torch.tensor([-0.0, 0.0, 1.0])),
        ("wide rows wrap", rn(2, 20)),
        ("long 1-D wraps", rn(30)),
        ("summarised 2-D", rn(40, 30)),
        ("summarised 1-D ints", torch.arange(2000)),
        ("summarised 3-D", rn(11, 10, 10)),
        ("exactly 1000", rn(1000)),
        ("0-dim float", torch.tensor(3.5)),
        ("0-dim int", torch.tensor(-7)),
        ("0-dim f64", torch.tensor(2.25, dtype=torch.float64)),
        ("empty", torch.tensor([])),
        ("empty 2-D", torch.zeros(0, 3)),
        ("empty i32", torch.zeros(2, 0, dtype=torch.int32)),
        ("bool", torch.tensor([[True, False], [False, True]])),
        ("bool 0-dim", torch.tensor(False)),
        ("f64 suffix", rn(2, 3, dtype=torch.float64)),
        ("f64 large", torch.tensor([123456.789, 1.0], dtype=torch.float64)),
        ("bf16", rn(2, 3).to(torch.bfloat16)),
        ("f16", rn(2, 3).to(torch.float16)),
        ("i64 one element", torch.tensor([5])),
        ("one row", rn(1, 4)),
        ("4-D", rn(2, 1, 2, 3)),
    ]


def printing(ctx, S, dt, fail):
    for name, t in tensors(ctx.rng):
        got = vx.fmt(ctx.lib, S.from_torch(t))
        want = str(t)
        if got != want:
            fail(name, "vx_tensor_format printed\n%s\n      torch prints\n%s" % (indent(got), indent(want)))
    printing_autodiff(ctx, S, fail)


def printing_autodiff(ctx, S, fail):
    lib = ctx.lib
    t = torch.tensor([[1.0, -2.0], [0.5, 3.0]])
    x = S.from_torch(t, True)
    y = S.call("mul_s", x, 2.0)
    tx = t.clone().requires_grad_(True)
    for name, p, want in (("requires_grad", x, str(tx)), ("grad_fn", y, str(tx * 2.0))):
        got = vx.fmt(lib, p)
        if got != want:
            fail(name, "vx_tensor_format printed\n%s\n      torch prints\n%s" % (indent(got), indent(want)))
    fprint(lib, y, str(tx * 2.0) + "\n", fail)
    n = lib.tensor_format(x, None, 0)
    small = vx.ctypes.create_string_buffer(8)
    if lib.tensor_format(x, small, 8) != n or small.value != vx.fmt(lib, x).encode()[:7]:
        fail("truncation", "a short buffer did not get the first 7 bytes and the full length")


def fprint(lib, p, want, fail):
    """vx_tensor_fprint writes the format and a newline to a FILE *."""
    libc = ctypes.CDLL(None)
    libc.tmpfile.restype = ctypes.c_void_p
    for name in ("rewind", "fclose"):
        getattr(libc, name).argtypes = [ctypes.c_void_p]
    libc.fread.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_void_p]
    f = libc.tmpfile()
    if lib.tensor_fprint(p, f) < 0:
        fail("fprint", lib.error())
    libc.rewind(f)
    buf = ctypes.create_string_buffer(4096)
    n = libc.fread(buf, 1, 4095, f)
    libc.fclose(f)
    if buf.raw[:n].decode() != want:
        fail("fprint", "wrote %r, expected %r" % (buf.raw[:n].decode(), want))


def indent(s):
    return "\n".join("        " + line for line in s.split("\n"))


CASES = [custom("printing", "vx_tensor_format vs str(torch tensor)", printing)]
