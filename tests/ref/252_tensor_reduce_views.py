# The torch 1.13 equivalent of tests/run/252_tensor_reduce_views.vx (same output).
import torch
x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
print(x.sum(), x.mean(), x.max(), x.min())
print(x.sum(dim=0), x.mean(dim=1, keepdim=True))
print(x.var(), x.std(dim=1), x.prod(dim=0), x.logsumexp(dim=1))
print(x.argmax(), x.argmin(dim=1), x.amax(dim=1))
print(x.transpose(0, 1), x.T, x.permute(1, 0))
print(x.reshape(3, 2), x.view(6), list(x.reshape(-1).shape))
print(list(x.unsqueeze(0).shape), list(x.unsqueeze(0).squeeze().shape), list(x.reshape(1, 6, 1).squeeze(0).shape))
print(torch.tensor([1.0, 2.0]).unsqueeze(1).expand(2, 3))
print(x.T.contiguous(), x.detach(), x.clone())
print(x[1, 2].item(), x[-1, 0].item(), x[0], x[:, 1], x[0:1, 1:3], x[1, 0:2])
y = torch.zeros(2, 2)
y[0, 1] = 7.0
y[1, 0] = -1.5
print(y)
v = x[:, 1]
print(v + 1.0)
print(list(torch.cat([x, x], dim=0).shape), torch.cat([x, x], dim=1))
print(torch.stack([x[0], x[1]], dim=1))
print(x.numel(), x.sum().item(), x[1, 1].item() * 2.0)
print(f"{str(x.sum())} | {list(x.shape)}")
