# The torch 1.13 equivalent of tests/run/600_tensor_nn_ops.vx (same output).
# torch 1.13 has no rms_norm nor scaled_dot_product_attention: they are
# written out as torch >= 2.4 / 2.0 define them.
import math
import torch
import torch.nn.functional as F

def rms_norm(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w

def sdpa(q, k, v, causal=False):
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        t, u = s.shape[-2], s.shape[-1]
        s = s.masked_fill(torch.ones(t, u, dtype=torch.bool).triu(1), float("-inf"))
    return torch.softmax(s, -1) @ v

x = torch.tensor([[1.0, 2.0, 3.0, -1.0], [0.5, -1.0, 2.0, 0.0], [0.0, 0.25, -0.5, 1.5]]).requires_grad_()
c = torch.tensor([[1.0, -1.0, 0.5, 2.0], [0.0, 1.0, -2.0, 1.0], [3.0, 0.5, 0.0, -1.0]])

s = torch.softmax(x, -1)
print(s.detach())
(s * c).sum().backward()
print(x.grad)
x.grad.zero_()
ls = torch.log_softmax(x, 0)
print(ls.detach())
(ls * c).sum().backward()
print(x.grad)
x.grad.zero_()

w = torch.tensor([1.0, 2.0, 0.5, -1.0]).requires_grad_()
b = torch.tensor([0.1, 0.0, -0.1, 0.2]).requires_grad_()
ln = F.layer_norm(x, (4,), w, b, 1e-5)
print(ln.detach())
(ln * c).sum().backward()
print(x.grad)
print(w.grad)
print(b.grad)
x.grad.zero_()
w.grad.zero_()
rn = rms_norm(x, w, 1e-5)
print(rn.detach())
(rn * c).sum().backward()
print(x.grad)
print(w.grad)
x.grad.zero_()
w.grad.zero_()

table = torch.tensor([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]).requires_grad_()
ids = torch.tensor([[2, 0], [2, 2]])
e = F.embedding(ids, table)
print(e.detach())
(e * e).sum().backward()
print(table.grad)

logits = x * 2.0
ce = F.cross_entropy(logits, torch.tensor([3, -100, 1]))
print(f"ce {ce.item():.6f}")
ce.backward()
print(x.grad)
x.grad.zero_()
ces = F.cross_entropy(x, torch.tensor([0, 1, 2]), label_smoothing=0.2)
print(f"ce smoothed {ces.item():.6f}")
ces.backward()
print(x.grad)
x.grad.zero_()

mse = F.mse_loss(x, c)
print(f"mse {mse.item():.6f}")
mse.backward()
print(x.grad)
x.grad.zero_()

g = F.gelu(x, approximate="tanh")
print(g.detach())
g.sum().backward()
print(x.grad)
x.grad.zero_()

q = x.reshape(1, 3, 4)
k = (c * 0.5).reshape(1, 3, 4)
v = (x + c).reshape(1, 3, 4)
print(sdpa(q, k, v).detach())
catt = sdpa(q, k, v, causal=True)
print(catt.detach())
(catt * catt).sum().backward()
print(x.grad)
