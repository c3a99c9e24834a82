# The torch 1.13 equivalent of tests/run/254_tensor_train.vx: the same data,
# initial weights, steps and learning rates; its output must equal that
# test's .out (python3 tests/ref/254_tensor_train.py).
import torch

def mse(pred, y):
    d = pred - y
    return (d * d).mean()

def sin_like(x):
    return torch.tanh(7.0 * x) * torch.exp(-(x * x))

def linear_regression():
    x = torch.linspace(-1.0, 1.0, 32).reshape(32, 1)
    y = 3.0 * x + 2.0 + 0.1 * sin_like(x)
    w = torch.zeros(1, 1).requires_grad_()
    b = torch.zeros(1).requires_grad_()
    for step in range(200):
        loss = mse(x @ w + b, y)
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            b -= 0.1 * b.grad
        w.grad.zero_()
        b.grad.zero_()
        if step % 50 == 0 or step == 199:
            print(f"linreg step {step:>3}  loss {loss.item():.6f}")
    print(f"w {w.item():.4f}  b {b.item():.4f}")

def mlp():
    x = torch.linspace(-2.0, 2.0, 16).reshape(16, 1)
    y = x * x - 1.0
    w1 = (torch.arange(0, 8).reshape(1, 8).float() * 0.25 - 1.0).requires_grad_()
    b1 = (torch.arange(0, 8).float() * 0.1 - 0.35).requires_grad_()
    w2 = (torch.arange(0, 8).reshape(8, 1).float() * -0.15 + 0.5).requires_grad_()
    b2 = torch.zeros(1).requires_grad_()
    for step in range(300):
        h = torch.tanh(x @ w1 + b1)
        loss = mse(h @ w2 + b2, y)
        loss.backward()
        with torch.no_grad():
            for p in (w1, b1, w2, b2):
                p -= 0.05 * p.grad
        for p in (w1, b1, w2, b2):
            p.grad.zero_()
        if step % 100 == 0 or step == 299:
            print(f"mlp step {step:>3}  loss {loss.item():.5f}")

linear_regression()
mlp()
