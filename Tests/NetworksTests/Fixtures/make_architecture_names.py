"""Writes architecture_names.json, the fixture ArchitectureTests reads.

Builds the PyTorch module equivalent to each `Architecture` configuration below (a module
whose attribute `layers` is an nn.Sequential, so keys read `layers.0.weight`) and dumps its
state-dict keys and shapes in PyTorch's `state_dict()` order:
    {"<arch description> in=[C, H, W] out=K": [[name, [shape...]], ...], ...}
The Swift test holds the same table of configurations. Run with a Python that has torch:
    python make_architecture_names.py
"""
import json
from pathlib import Path

import torch
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "tanh": nn.Tanh,
               "sigmoid": nn.Sigmoid, "gelu": nn.GELU, "identity": nn.Identity}


class CReLU(nn.Module):
    def forward(self, x):
        return torch.cat([torch.relu(x), torch.relu(-x)], 1)


class GlobalAvgPool2d(nn.Module):
    def forward(self, x):
        return x.mean((2, 3))


class Residual(nn.Module):
    def __init__(self, body, shortcut=None):
        super().__init__()
        self.body = body
        if shortcut is not None:
            self.shortcut = shortcut

    def forward(self, x):
        return self.body(x) + (self.shortcut(x) if hasattr(self, "shortcut") else x)


class Builder:
    """Mirror of Architecture.swift's builder: appends modules, tracks one example's shape."""

    def __init__(self, act, norm, shape):
        self.act, self.norm, self.shape, self.layers = act, norm, list(shape), []

    def linear(self, out):
        self.layers.append(nn.Linear(self.shape[0], out))
        self.shape = [out]

    def conv(self, out, kernel=3, stride=1):
        pad = kernel // 2
        self.layers.append(nn.Conv2d(self.shape[0], out, kernel, stride, pad, bias=self.norm != "batchnorm"))
        size = lambda n: (n + 2 * pad - kernel) // stride + 1
        self.shape = [out, size(self.shape[1]), size(self.shape[2])]

    def normalize(self):
        if self.norm == "layernorm":
            self.layers.append(nn.LayerNorm(self.shape))
        elif self.norm == "batchnorm":
            self.layers.append((nn.BatchNorm1d if len(self.shape) == 1 else nn.BatchNorm2d)(self.shape[0]))

    def activate(self):
        if self.act == "crelu":
            self.layers.append(CReLU())
            self.shape[0] *= 2
        else:
            self.layers.append(ACTIVATIONS[self.act]())

    def hidden(self):
        self.normalize()
        self.activate()

    def flatten(self):
        self.layers.append(nn.Flatten())
        self.shape = [int(torch.tensor(self.shape).prod())]

    def pool(self):
        self.layers.append(nn.MaxPool2d(2))
        self.shape = [self.shape[0], self.shape[1] // 2, self.shape[2] // 2]

    def block(self, out, stride):
        body = Builder(self.act, self.norm, self.shape)
        body.conv(out, stride=stride)
        body.hidden()
        body.conv(out)
        body.normalize()
        shortcut = None
        if stride != 1 or out != self.shape[0]:
            s = Builder(self.act, self.norm, self.shape)
            s.conv(out, kernel=1, stride=stride)
            s.normalize()
            shortcut = nn.Sequential(*s.layers)
        self.layers.append(Residual(nn.Sequential(*body.layers), shortcut))
        self.shape = body.shape


def build(family, widths, act, norm, blocks, shape, outputs):
    b = Builder(act, norm, shape)
    if family == "mlp":
        b.flatten()
        for w in widths:
            b.linear(w)
            b.hidden()
    elif family in ("cnn", "cnn-deep"):
        groups = [widths[:1], widths[1:2]] if family == "cnn" else [widths[:2], widths[2:4]]
        for group in groups:
            for c in group:
                b.conv(c)
                b.hidden()
            b.pool()
        b.flatten()
        b.linear(widths[-1])
        b.hidden()
    else:
        b.conv(widths[0])
        b.hidden()
        for stage, c in enumerate(widths):
            for i in range(blocks):
                b.block(c, 2 if stage > 0 and i == 0 else 1)
                b.activate()
        b.layers.append(GlobalAvgPool2d())
        b.shape = b.shape[:1]
    b.linear(outputs)
    model = nn.Module()
    model.layers = nn.Sequential(*b.layers)
    assert model.layers(torch.zeros(2, *shape)).shape == (2, outputs)  # the shapes fit
    return model


def description(family, widths, act, norm, blocks, shape, outputs):
    text = f"{family}[{','.join(map(str, widths))}] {act} norm={norm}"
    if family == "resnet":
        text += f" blocks={blocks}"
    return text + f" in=[{', '.join(map(str, shape))}] out={outputs}"


# (family, widths, activation, norm, blocksPerStage, example shape, outputs) — the same
# table as ArchitectureTests.swift's `fixtureConfigurations`.
CONFIGS = [
    ("mlp", [256, 256], "relu", "none", 1, [784], 10),
    ("mlp", [64, 32], "tanh", "layernorm", 1, [1, 28, 28], 10),
    ("mlp", [16, 8], "crelu", "batchnorm", 1, [20], 3),
    ("cnn", [32, 64, 128], "relu", "none", 1, [1, 28, 28], 10),
    ("cnn", [4, 8, 16], "crelu", "batchnorm", 1, [3, 32, 32], 10),
    ("cnn", [4, 8, 16], "gelu", "layernorm", 1, [1, 28, 28], 10),
    ("cnn-deep", [4, 4, 8, 8, 16], "leaky_relu", "batchnorm", 1, [3, 32, 32], 10),
    ("resnet", [16, 32, 64], "relu", "batchnorm", 1, [3, 32, 32], 10),
    ("resnet", [4, 8], "sigmoid", "layernorm", 2, [3, 16, 16], 5),
    ("resnet", [4, 4], "relu", "none", 1, [3, 8, 8], 2),
]

BUFFERS = ("running_mean", "running_var", "num_batches_tracked")

out = {}
for config in CONFIGS:
    model = build(*config)
    state = [[k, list(v.shape)] for k, v in model.state_dict().items()]
    # Dropping buffers from state_dict() order must give named_parameters() order.
    params = [k for k, _ in state if not k.endswith(BUFFERS)]
    assert params == [k for k, _ in model.named_parameters()], config
    out[description(*config)] = state
    print(f"{description(*config)}: {sum(p.numel() for p in model.parameters())} parameters")

path = Path(__file__).with_name("architecture_names.json")
path.write_text("{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}"
                                   for k, v in out.items()) + "\n}\n")
print(f"wrote {path} ({path.stat().st_size} bytes)")
