# The torch values behind tests/run/800_checkpoint_mlp.vx: the plain
# network's loss and gradients, and torch.utils.checkpoint's, which equal them.
import torch
from torch.utils.checkpoint import checkpoint


def weight(rows, cols, k):
    data = [[(((i * 37 + j * 11 + k * 5) * (j + 7) + i * i) % 101 / 101.0 - 0.5) * 0.6 for j in range(cols)]
            for i in range(rows)]
    return torch.tensor(data, dtype=torch.float32).requires_grad_()


d, layers = 64, 32
ws = [weight(d, d, l) for l in range(layers)]
bs = [(torch.tanh(torch.arange(0, d).float() * 0.1 - 3.0 + torch.tensor(l * 0.05, dtype=torch.float32)) * 0.1)
      .requires_grad_() for l in range(layers)]
w_in = weight(d, d, 99)
x = torch.tanh(torch.arange(0, 32 * 64).reshape([32, 64]).float() * 0.013 - 5.0)


def segment(lo, hi, h):
    for l in range(lo, hi):
        h = torch.tanh(h @ ws[l] + bs[l])
    return h


for ckpt in (False, True):
    h = torch.tanh(x @ w_in)
    for s in range(8):
        lo = s * 4
        h = checkpoint(segment, lo, lo + 4, h, use_reentrant=True) if ckpt else segment(lo, lo + 4, h)
    loss = (h * h).mean()
    for p in [w_in] + ws + bs:
        p.grad = None
    loss.backward()
    print(f"checkpoint={ckpt} loss {loss.item():.6f}")
    g = w_in.grad
    print(f"w_in.grad[0, 0..3] {g[0, 0]:.6f} {g[0, 1]:.6f} {g[0, 2]:.6f}")
    print(f"ws[31].grad sum {ws[31].grad.sum():.6f}, bs[0].grad sum {bs[0].grad.sum():.6f}")


def block(t):
    return torch.relu(t) * 0.5 + t


a = (torch.tanh(torch.arange(0, 12).reshape([3, 4]).float() * 0.3 - 1.0)).requires_grad_()
w = weight(4, 4, 5)
print(f"checkpoint3 + nested: value {((block(a) @ w) * a).sum().item():.6f}")
