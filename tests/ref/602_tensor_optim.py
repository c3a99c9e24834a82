# The torch 1.13 equivalent of tests/run/602_tensor_optim.vx (same output).
# The schedule values are transformers' get_cosine/linear_schedule_with_warmup
# formulas with a floor (min_lr), and StepLR's, written out.  Run after the
# .vx program, it reads the safetensors file that program wrote (with the
# reader below, written from the format's description) and checks it holds
# m3's weights.
import json
import math
import struct
import torch
import torch.nn.functional as F

def model():
    l1w = torch.tensor([[0.5, -0.3, 0.8], [0.1, 0.4, -0.6]]).requires_grad_()
    l1b = torch.tensor([0.0, 0.1, -0.1]).requires_grad_()
    l2w = torch.tensor([[0.3], [-0.7], [0.5]]).requires_grad_()
    l2b = torch.tensor([0.2]).requires_grad_()
    return [l1w, l1b, l2w, l2b]

def forward(m, x):
    return torch.tanh(x @ m[0] + m[1]) @ m[2] + m[3]

x = torch.tensor([[1.0, 0.5], [-0.5, 1.0], [0.0, -1.0], [2.0, 0.25]])
y = torch.tensor([[1.0], [-1.0], [0.5], [0.0]])

def train(name, m, opt, clip):
    for step in range(5):
        opt.zero_grad()
        loss = F.mse_loss(forward(m, x), y)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(m, 0.5).item() if clip else 0.0
        opt.step()
        print(f"{name} step {step} loss {loss.item():.6f} norm {norm:.4f} lr {opt.param_groups[0]['lr']:.5f}")

m1 = model()
train("sgd", m1, torch.optim.SGD(m1, 0.1, momentum=0.9, nesterov=True, weight_decay=0.01), False)
m2 = model()
train("adam", m2, torch.optim.Adam(m2, lr=0.05), True)
m3 = model()
opt = torch.optim.AdamW(m3, lr=0.05, weight_decay=0.1)
train("adamw", m3, opt, False)
for g in opt.param_groups:
    g["lr"] = 0.01
print(f"lr now {opt.param_groups[0]['lr']:.3f}")
print(m3[2])

def lr_cosine(base, step, warmup, total, min_lr=0.0):
    if step < warmup:
        return base * step / warmup
    if step >= total:
        return min_lr
    return min_lr + (base - min_lr) * (1 + math.cos(math.pi * (step - warmup) / (total - warmup))) / 2

def lr_linear(base, step, warmup, total, min_lr=0.0):
    if step < warmup:
        return base * step / warmup
    if step >= total:
        return min_lr
    return min_lr + (base - min_lr) * (total - step) / (total - warmup)

print("".join(f"{lr_cosine(1.0, i * 4, 2, 10, 0.1):.4f} " for i in range(4)), end="")
print(f"{lr_linear(1.0, 6, 2, 10):.4f} {0.5 * 0.1 ** (7 // 3):.4f} {lr_cosine(1.0, 1, 2, 10):.4f}")
def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    data = raw[8 + n:]
    out = []
    for name, e in header.items():
        if name == "__metadata__":
            continue
        assert e["dtype"] == "F32"
        b, end = e["data_offsets"]
        vals = struct.unpack(f"<{(end - b) // 4}f", data[b:end])
        out.append((b, name, torch.tensor(vals).reshape(e["shape"])))
    return [(name, t) for _, name, t in sorted(out, key=lambda x: x[0])]

written = dict(read_safetensors("/tmp/vortex_test_602.safetensors"))
for name, t in zip(["l1.w", "l1.b", "l2.w", "l2.b"], m3):
    assert torch.allclose(written[name], t.detach(), rtol=0, atol=1e-6), (name, (written[name] - t.detach()).abs().max())
    print(name, list(t.shape))
with torch.no_grad():
    loss = F.mse_loss(forward(m3, x), y).item()
print(f"reloaded loss {loss:.6f} vs {loss:.6f}")
print(f"loaded lr {0.01:.3f}")
