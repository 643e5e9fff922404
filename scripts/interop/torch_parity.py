"""PyTorch side of the parity check between PlasticityLab networks and PyTorch modules.

Usage: python torch_parity.py DIR CASE...   where CASE is
    NAME:FAMILY:WIDTHS:ACTIVATION:NORM:SHAPE:OUTPUTS   e.g. cnn:cnn:4,8,16:relu:none:1,12,12:5
For each case, with the files the Swift test wrote in DIR:
  1. builds the module for our architecture (docs/pytorch-interop.md; a module whose
     `layers` is an nn.Sequential), loads NAME.model.safetensors with
     load_state_dict(strict=True), runs NAME.io.safetensors' `input` through it in train
     mode, takes F.cross_entropy against `labels`, backpropagates, and compares output, loss
     and every parameter's gradient (`grad.<name>`) with ours: max|ours - torch| must be at
     most 1e-4 * max|torch| (for a gradient, max|torch| is taken as at least 1 % of the
     network's largest gradient entry, see below);
  2. builds a fresh module (torch's own initialisation, seed 0), runs one train-mode forward
     so batchnorm running statistics move, saves its state_dict with
     safetensors.torch.save_file as NAME.torch.safetensors and its eval-mode output on the
     same input as NAME.torch-output.safetensors, for our side to load and compare.
Prints `case NAME worst-relative-error E` per case; exits 1 on any mismatch.
"""
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from safetensors.torch import load_file, save_file
from torch import nn

ACTIVATIONS = {"relu": nn.ReLU, "leaky_relu": nn.LeakyReLU, "tanh": nn.Tanh,
               "sigmoid": nn.Sigmoid, "gelu": nn.GELU, "identity": nn.Identity}
TOLERANCE = 1e-4


def build(family, widths, act, norm, shape, outputs):
    """The nn.Module equal to Architecture(family, widths, act, norm) for one example `shape`."""
    layers, shape = [], list(shape)

    def hidden():
        if norm == "layernorm":
            layers.append(nn.LayerNorm(shape))
        elif norm == "batchnorm":
            layers.append((nn.BatchNorm1d if len(shape) == 1 else nn.BatchNorm2d)(shape[0]))
        layers.append(ACTIVATIONS[act]())

    def linear(out):
        layers.append(nn.Linear(shape[0], out))
        shape[:] = [out]

    def flatten():
        layers.append(nn.Flatten())
        shape[:] = [int(torch.tensor(shape).prod())]

    if family == "mlp":
        flatten()  # always first, so the names do not depend on the input's rank
        for w in widths:
            linear(w)
            hidden()
    elif family == "cnn":
        for c in widths[:2]:
            layers.append(nn.Conv2d(shape[0], c, 3, padding=1, bias=norm != "batchnorm"))
            shape[:] = [c, shape[1], shape[2]]
            hidden()
            layers.append(nn.MaxPool2d(2))
            shape[:] = [c, shape[1] // 2, shape[2] // 2]
        flatten()
        linear(widths[2])
        hidden()
    else:
        raise SystemExit(f"torch_parity.py: family {family!r} is not covered (mlp, cnn)")
    linear(outputs)
    return Net(layers)


class Net(nn.Module):
    """Our networks' PyTorch shape: one child `layers`, so keys read `layers.<i>.weight`."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)


def relative_error(ours, theirs, floor=1e-30):
    """max|ours - theirs| over max|theirs|, the latter at least `floor`."""
    scale = theirs.abs().max().item()
    return (ours - theirs).abs().max().item() / max(scale, floor)


def check(directory, spec):
    name, family, widths, act, norm, shape, outputs = spec.split(":")
    widths = [int(w) for w in widths.split(",")]
    shape = [int(s) for s in shape.split(",")]
    args = (family, widths, act, norm, shape, int(outputs))

    io = load_file(str(directory / f"{name}.io.safetensors"))
    model = build(*args)
    model.load_state_dict(load_file(str(directory / f"{name}.model.safetensors")), strict=True)
    model.train()
    output = model(io["input"])
    loss = F.cross_entropy(output, io["labels"].long())
    loss.backward()
    errors = {"output": relative_error(io["output"], output.detach()),
              "loss": relative_error(io["loss"], loss.detach().reshape(1))}
    # A gradient that is exactly zero in theory (the bias of a layer followed by batchnorm)
    # is float noise on both sides: such tensors are measured against 1 % of the largest
    # gradient entry of the network instead of their own (tiny) maximum.
    scale = max(p.grad.abs().max().item() for p in model.parameters())
    for key, p in model.named_parameters():
        errors[f"grad.{key}"] = relative_error(io[f"grad.{key}"], p.grad, floor=0.01 * scale)
    worst = max(errors, key=errors.get)
    print(f"case {name} worst-relative-error {errors[worst]:.3e} ({worst}, {len(errors)} tensors)")

    torch.manual_seed(0)
    fresh = build(*args)
    fresh.train()
    with torch.no_grad():
        fresh(io["input"] * 2 + 1)
    fresh.eval()
    with torch.no_grad():
        reference = fresh(io["input"])
    save_file(fresh.state_dict(), str(directory / f"{name}.torch.safetensors"))
    save_file({"output": reference.contiguous()}, str(directory / f"{name}.torch-output.safetensors"))
    return errors[worst] <= TOLERANCE


def main():
    directory = Path(sys.argv[1])
    ok = [check(directory, spec) for spec in sys.argv[2:]]
    if not all(ok):
        print(f"torch_parity.py: a case exceeds the relative tolerance {TOLERANCE}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
