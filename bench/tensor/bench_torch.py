"""bench_torch.py - the PyTorch CPU side of bench/tensor (see bench_tensor.c):
the same modes, models and sizes, printing the same "name value unit" lines.
Threads: torch.set_num_threads(N) with N from VX_BENCH_THREADS (default 1)."""
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("VX_BENCH_THREADS", "1")))
V, D, T, B, H, L = 65, 256, 128, 16, 4, 2


def param(*shape, scale=0.02, fill=None):
    p = torch.full(shape, fill) if fill is not None else torch.randn(*shape) * scale
    return p.requires_grad_(True)


def linear(i, o):
    return [param(i, o), param(o, fill=0.0)]


def model():
    m = {"tok": param(V, D), "pos": param(T, D), "blk": [],
         "lnf": [param(D, fill=1.0), param(D, fill=0.0)], "head": linear(D, V)}
    for _ in range(L):
        m["blk"].append({"ln1": [param(D, fill=1.0), param(D, fill=0.0)],
                         "ln2": [param(D, fill=1.0), param(D, fill=0.0)],
                         "q": linear(D, D), "k": linear(D, D), "v": linear(D, D),
                         "o": linear(D, D), "fc": linear(D, 4 * D), "proj": linear(4 * D, D)})
    return m


def params(m):
    out = [m["tok"], m["pos"]] + m["lnf"] + m["head"]
    for b in m["blk"]:
        for v in b.values():
            out += v
    return out


def apply(l, x):
    return x @ l[0] + l[1]


def heads(x):
    return x.view(B, T, H, D // H).transpose(1, 2)


# The same composition as vx_scaled_dot_product_attention (torch 1.13 has no
# F.scaled_dot_product_attention): matmul, scale, additive causal mask,
# softmax, matmul.
MASK = torch.triu(torch.full((T, T), -math.inf), diagonal=1)


def attention(b, h):
    q, k, v = heads(apply(b["q"], h)), heads(apply(b["k"], h)), heads(apply(b["v"], h))
    s = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(D // H)) + MASK
    a = torch.softmax(s, -1) @ v
    return apply(b["o"], a.transpose(1, 2).reshape(B, T, D))


def forward(m, idx, tgt):
    x = F.embedding(idx, m["tok"]) + m["pos"]
    for b in m["blk"]:
        x = x + attention(b, F.layer_norm(x, (D,), *b["ln1"], 1e-5))
        h = F.layer_norm(x, (D,), *b["ln2"], 1e-5)
        x = x + apply(b["proj"], F.gelu(apply(b["fc"], h)))
    x = F.layer_norm(x, (D,), *m["lnf"], 1e-5)
    logits = apply(m["head"], x).reshape(B * T, V)
    return F.cross_entropy(logits, tgt.reshape(B * T))


def peak_rss_kb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def bench_step(iters):
    base_rss = peak_rss_kb()
    torch.manual_seed(0)
    m = model()
    ps = params(m)
    idx, tgt = torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))
    best, total, loss0 = math.inf, 0.0, 0.0
    for it in range(-2, iters):
        for p in ps:
            p.grad = None
        t0 = time.perf_counter()
        loss = forward(m, idx, tgt)
        loss.backward()
        dt = time.perf_counter() - t0
        if it == -2:
            loss0 = loss.item()
        if it >= 0:
            best, total = min(best, dt), total + dt
    print(f"step_loss {loss0:.6f} -")
    print(f"step_ms_best {best * 1e3:.3f} ms")
    print(f"step_ms_mean {total / iters * 1e3:.3f} ms")
    print(f"step_rss_growth {peak_rss_kb() - base_rss} kB")


def time_it(f, min_s):
    f()
    n, t0 = 0, time.perf_counter()
    while True:
        f()
        n += 1
        t = time.perf_counter() - t0
        if t >= min_s:
            return t / n


def bench_gemm():
    sizes = [(128, 128, 128), (256, 256, 256), (512, 512, 512), (1024, 1024, 1024),
             (2048, 256, 768), (2048, 256, 1024), (2048, 1024, 256), (2048, 256, 65), (128, 64, 128)]
    for m, k, n in sizes:
        a, b = torch.randn(m, k), torch.randn(k, n)
        t = time_it(lambda: a @ b, 0.3)
        print(f"gemm_{m}x{k}x{n}_torch {2.0 * m * k * n / t * 1e-9:.2f} GFLOP/s")


def bench_rows():
    n, c = 2048 * 4, 512
    names = ["softmax", "layer_norm", "cross_entropy"]
    w, bias, tgt = torch.ones(c), torch.zeros(c), torch.randint(0, c, (n,))
    for kind in range(3):
        for bw in (False, True):
            x = torch.randn(n, c).requires_grad_(bw)

            def run():
                y = (torch.softmax(x, -1) if kind == 0 else
                     F.layer_norm(x, (c,), w, bias, 1e-5) if kind == 1 else F.cross_entropy(x, tgt))
                if bw:
                    (y if kind == 2 else y.sum()).backward()
                    x.grad = None
            nbytes = 4.0 * n * c * ((3 if bw else 1) if kind == 2 else (5 if bw else 2))
            t = time_it(run, 0.3)
            print(f"{names[kind]}_{'fwd_bwd' if bw else 'fwd'} {nbytes / t * 1e-9:.2f} GB/s")


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else "step"
    {"step": lambda: bench_step(int(sys.argv[2]) if len(sys.argv) > 2 else 10),
     "gemm": bench_gemm, "rows": bench_rows}[mode]()
