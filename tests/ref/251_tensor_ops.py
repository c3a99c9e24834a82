# The torch 1.13 equivalent of tests/run/251_tensor_ops.vx (same output).
import torch
F = torch.nn.functional
a = torch.tensor([[1.0, -2.0], [3.0, 0.5]])
b = torch.tensor([[0.5, 4.0], [-1.0, 2.0]])
row = torch.tensor([10.0, 20.0])
for x in [a + b, a - b, a * b, a / b, a * b, a / b, a @ b, a + row, -a, 2.0 * a, a * 2.0, a + 1.0, 1.0 - a,
          1.0 / b, a ** 2, 2.0 ** a, a > b, a <= 1.0, 0.0 < a, a == a, a != b, torch.maximum(a, b),
          torch.minimum(a, row), torch.where(a > 0.0, a, b), torch.where(a > 0.0, 1.0, 0.0), torch.exp(a),
          torch.log(torch.abs(a)), torch.sqrt(torch.abs(a)), torch.rsqrt(torch.abs(a)), torch.tanh(a),
          torch.abs(a), torch.relu(a), torch.sigmoid(a), F.gelu(a), F.silu(a), F.softplus(a),
          torch.clamp(a, -1.0, 1.0), torch.matmul(a, row), row @ row]:
    print(x)
i = torch.tensor([1, 2, 3])
print(i * 2, i + i, -i)
print(i / 2)
