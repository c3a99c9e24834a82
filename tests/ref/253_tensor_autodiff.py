# The torch 1.13 equivalent of tests/run/253_tensor_autodiff.vx (same output).
import torch
def scaled(x, k):
    with torch.no_grad():
        if k > 1.0:
            return x * k
        return x
w = torch.tensor([1.0, -2.0, 3.0]).requires_grad_()
x = torch.tensor([0.5, 0.25, 2.0])
print(w)
y = (w * x).sum() + (w ** 2).mean()
print(y)
y.backward()
print(w.grad)
print(w.grad)
z = torch.relu(w) @ x
z.backward()
print(w.grad)
w.grad.zero_()
print(w.grad)
print(w.detach() * 2.0)
print(scaled(w, 3.0))
print(w * 2.0)
for i in range(3):
    with torch.no_grad():
        if i == 1:
            break
        print(w + 1.0)
print(w - 1.0)
with torch.no_grad():
    w -= 0.5 * x
    w *= 2.0
print(w)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).requires_grad_()
loss = (m @ m.T).sum() / 4.0
loss.backward()
print(loss, m.grad)
acc = torch.zeros(2)
acc += torch.ones(2)
acc += 1.0
print(acc)
