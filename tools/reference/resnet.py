"""ResNet-18 in torchvision's layout (`conv1`, `bn1`, `layer1`..`layer4` of BasicBlocks with
`conv1/bn1/conv2/bn2/downsample.{0,1}`, `fc`) at a reduced width, behind a 1->3 channel 3x3 conv
stem: the shape of the paper's audio encoder, which feeds a one-channel spectrogram to an
image ResNet."""

import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = None
        if stride != 1 or in_planes != planes:
            self.downsample = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.relu(out + identity)


class ResNet18(nn.Module):
    def __init__(self, base=8, num_classes=32):
        super().__init__()
        widths = [base, base * 2, base * 4, base * 8]
        self.conv1 = nn.Conv2d(3, base, 7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(base)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
        in_planes = base
        for i, w in enumerate(widths):
            stride = 1 if i == 0 else 2
            setattr(self, f"layer{i + 1}", nn.Sequential(BasicBlock(in_planes, w, stride), BasicBlock(w, w)))
            in_planes = w
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(widths[-1], num_classes)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


class AudioEncoder(nn.Module):
    def __init__(self, base=8, embed_dim=32):
        super().__init__()
        self.stem = nn.Conv2d(1, 3, 3, padding=1)
        self.resnet = ResNet18(base=base, num_classes=embed_dim)

    def forward(self, spec):
        return self.resnet(self.stem(spec))


def build(seed=0):
    """Base width 8 (8/16/32/64 channels), 32-d embedding. BatchNorm affine parameters and running
    statistics are random so that eval-mode normalisation is not the identity."""
    torch.manual_seed(seed)
    m = AudioEncoder(base=8, embed_dim=32)
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, nn.BatchNorm2d):
                mod.weight.copy_(1 + 0.2 * torch.randn_like(mod.weight))
                mod.bias.copy_(0.1 * torch.randn_like(mod.bias))
                mod.running_mean.copy_(0.1 * torch.randn_like(mod.running_mean))
                mod.running_var.copy_(0.5 + torch.rand_like(mod.running_var))
    m.eval()
    return m
