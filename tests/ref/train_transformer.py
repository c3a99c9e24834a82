#!/usr/bin/python3
"""The model of examples/train_transformer.vx in PyTorch (1.13 or 2.x, CPU).

    vortex run examples/train_transformer.vx --out=DIR [options]
    python3 tests/ref/train_transformer.py DIR [--steps N] [--tol R]

Loads DIR/init.safetensors (Vortex's initial weights: the names and shapes
must be exactly this model's state_dict), DIR/batches.safetensors and
DIR/losses.txt, reads the configuration from the weights' shapes and the
losses file, trains on the same batches with torch.optim.AdamW, the same
warmup + cosine learning rates (taken from losses.txt and checked against
the formula) and clip_grad_norm_(1.0), and compares the loss at each of
the first N steps (50) with Vortex's: it fails when any relative
difference exceeds R (1e-4).  Prints the largest difference.

Dropout must be 0 in the Vortex run: the two programs draw dropout masks
from different generators, so with p > 0 the losses would differ by design.
safetensors is parsed here (8-byte header length, JSON header, raw data)
so that the check needs only torch and numpy.
"""
import argparse
import json
import math
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    base = 8 + n
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        arr = np.frombuffer(data[base + lo:base + hi], dtype=DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(arr.copy())
    return out


class Attention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.heads = heads

    def forward(self, x):
        b, t, d = x.shape
        h = self.heads
        qkv = self.qkv(x).reshape(b, t, 3, h, d // h).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = q @ k.transpose(-2, -1) / math.sqrt(d // h)
        mask = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        att = att.masked_fill(mask, float("-inf")).softmax(dim=-1)
        return self.proj((att @ v).transpose(1, 2).reshape(b, t, d))


class Mlp(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.fc1 = nn.Linear(d, hidden)
        self.fc2 = nn.Linear(hidden, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = Attention(d, heads)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = Mlp(d, 4 * d)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class Gpt(nn.Module):
    def __init__(self, vocab, d, heads, layers, t):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(t, d)
        self.blocks = nn.ModuleList([Block(d, heads) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))


def lr_cosine(base, step, warmup, total, min_lr):
    """transformers' get_cosine_schedule_with_warmup with a floor (tensor_optim.h)."""
    if step < warmup:
        return base * step / warmup
    if step >= total:
        return min_lr
    return min_lr + (base - min_lr) * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) / 2


def load_run(d, heads, lr, weight_decay):
    """The model (with Vortex's initial weights), its AdamW, the batches and
    losses.txt's rows (step, loss, lr[, ms]) of the Vortex run in d."""
    weights = load_safetensors(d + "/init.safetensors")
    batches = load_safetensors(d + "/batches.safetensors")["batches"].long()
    rows = [[float(x) for x in line.split()] for line in open(d + "/losses.txt").read().splitlines()[1:]]
    _, _, t1 = batches.shape
    vocab, dm = weights["tok.weight"].shape
    layers = len({k.split(".")[1] for k in weights if k.startswith("blocks.")})
    model = Gpt(vocab, dm, heads, layers, t1 - 1)
    ours = {k: v.shape for k, v in model.state_dict().items()}
    theirs = {k: v.shape for k, v in weights.items()}
    if ours != theirs:
        sys.exit(f"FAIL: parameter names/shapes differ from the state_dict:\n  torch  {ours}\n  vortex {theirs}")
    model.load_state_dict(weights)
    # parameters() order = the state_dict's = Vortex's named_parameters order
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay, foreach=False)
    return model, opt, batches, rows


def step_lr(base, step, warmup, total, vx_lr):
    """This step's learning rate, failing unless it is the one Vortex used."""
    lr = lr_cosine(base, step, warmup, total, base / 10)
    if abs(lr - vx_lr) > 1e-12 + 1e-8 * lr:
        sys.exit(f"FAIL: learning rate at step {step}: vortex {vx_lr} torch {lr}")
    return lr


def train_step(model, opt, b, lr):
    """One step on batch b [batch, T + 1]: forward, backward, clip, AdamW."""
    for g in opt.param_groups:
        g["lr"] = lr
    logits = model(b[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), b[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    return loss


def run_args():
    """The options that describe a Vortex run (DIR and its hyperparameters)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--heads", type=int, required=True)
    ap.add_argument("--lr", type=float, required=True)
    ap.add_argument("--warmup", type=int, required=True)
    ap.add_argument("--weight_decay", type=float, default=0.01)
    ap.add_argument("--tol", type=float, default=1e-4)
    return ap


def main():
    ap = run_args()
    ap.add_argument("--steps", type=int, default=50, help="steps to compare")
    a = ap.parse_args()
    torch.set_num_threads(1)

    model, opt, batches, rows = load_run(a.dir, a.heads, a.lr, a.weight_decay)
    total = batches.shape[0]
    n = min(a.steps, total)
    worst, worst_step = 0.0, 0
    for step in range(n):
        vx_loss = rows[step][1]
        loss = train_step(model, opt, batches[step], step_lr(a.lr, step, a.warmup, total, rows[step][2])).item()
        rel = abs(loss - vx_loss) / abs(loss)
        if rel > worst:
            worst, worst_step = rel, step
        if rel > a.tol:
            sys.exit(f"FAIL: step {step}: vortex loss {vx_loss:.9g}, torch {loss:.9g} "
                     f"(relative difference {rel:.3g} > {a.tol:g})")
    print(f"ok {n} steps: losses {rows[0][1]:.6f} -> {rows[n - 1][1]:.6f}, "
          f"max relative difference {worst:.3g} (step {worst_step}), tolerance {a.tol:g}")


if __name__ == "__main__":
    main()
