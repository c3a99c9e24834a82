"""torch 1.13 values for tests/run/650_std_nn_layers.vx: the same layers with
the same deterministic weights (filled in named_parameters order); prints
the lines of the .out that depend on the numbers."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


def wave(n, offset):
    y = (torch.arange(n) + offset).float() * 0.618
    return (y - y.long().float()) * 2.0 - 1.0


def fill_all(module):
    with torch.no_grad():
        for i, (_, p) in enumerate(module.named_parameters()):
            p.copy_(wave(p.numel(), 7 * i).reshape(p.shape))


def show(name, t):
    f = t.reshape(-1)
    print(f"{name} {list(t.shape)} sum {t.sum().item():.5f} first {f[0].item():.5f} last {f[-1].item():.5f}")


class Rms(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-6) * self.weight


class Mlp(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, h), nn.Linear(h, d)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Attn(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.qkv, self.proj, self.heads = nn.Linear(d, 3 * d), nn.Linear(d, d), heads

    def forward(self, x):
        b, t, d = x.shape
        qkv = self.qkv(x).reshape(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        att = qkv[0] @ qkv[1].transpose(-2, -1) / math.sqrt(d // self.heads)
        att = att.masked_fill(torch.triu(torch.ones(t, t, dtype=torch.bool), 1), float("-inf")).softmax(-1)
        return self.proj((att @ qkv[2]).transpose(1, 2).reshape(b, t, d))


class Block(nn.Module):
    def __init__(self, d, heads, h):
        super().__init__()
        self.ln1, self.attn, self.ln2, self.mlp = nn.LayerNorm(d), Attn(d, heads), nn.LayerNorm(d), Mlp(d, h)

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


x = wave(24, 100).reshape(2, 3, 4)
for name, m, inp in [("linear", nn.Linear(4, 5), x), ("embedding", nn.Embedding(7, 4), torch.tensor([[1, 6], [0, 3]])),
                     ("layer_norm", nn.LayerNorm(4), x), ("rms_norm", Rms(4), x), ("mlp", Mlp(4, 8), x),
                     ("attention", Attn(4, 2), x), ("block (eval)", Block(4, 2, 16), x)]:
    fill_all(m)
    show(name, m(inp))
