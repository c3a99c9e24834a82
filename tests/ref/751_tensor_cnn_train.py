# The torch equivalent of tests/run/751_tensor_cnn_train.vx (same output).
import torch
import torch.nn.functional as F

def forward(m, x):
    h = F.conv2d(x, m["conv_w"], m["conv_b"], padding=1)
    p = F.max_pool2d(torch.relu(h), 2)
    return p.reshape([4, 27]) @ m["fc_w"] + m["fc_b"]

m = {
    "conv_w": (torch.tanh(torch.arange(0, 27).reshape([3, 1, 3, 3]).float() * 0.7 - 9.0) * 0.5).requires_grad_(),
    "conv_b": torch.tensor([0.1, -0.1, 0.05]).requires_grad_(),
    "fc_w": (torch.tanh(torch.arange(0, 54).reshape([27, 2]).float() * 0.37 - 10.0) * 0.2).requires_grad_(),
    "fc_b": torch.tensor([0.0, 0.1]).requires_grad_(),
}
x = torch.tanh(torch.arange(0, 144).reshape([4, 1, 6, 6]).float() * 0.13 - 9.0)
y = torch.tensor([0, 1, 1, 0])
opt = torch.optim.SGD(list(m.values()), lr=0.05, momentum=0.9)
for step in range(8):
    opt.zero_grad()
    loss = F.cross_entropy(forward(m, x), y)
    loss.backward()
    opt.step()
    print("step {} loss {:.6f}".format(step, loss.item()))
print(m["conv_b"].detach())
print(m["fc_b"].detach())
print(forward(m, x).argmax(dim=1))
