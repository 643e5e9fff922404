#!/usr/bin/env python3
"""Cross-checks `plasticity lmc` against PyTorch on two PyTorch-trained networks.

Trains two small MLPs with BatchNorm in PyTorch (different seeds), saves their state_dicts
with safetensors.torch.save_file, runs `plasticity lmc` on them, and recomputes in PyTorch
the whole-network path and the single-layer path of `layers.3` (others at B): parameters
(1-a)*A + a*B, BatchNorm statistics recomputed with torch.optim.swa_utils.update_bn,
mean cross-entropy and accuracy on train and test. Exits 1 if any value differs by more
than 1e-4 (relative) from lmc.json.

Usage: scripts/lmc_torch_check.py PATH/TO/plasticity
Needs numpy, torch and safetensors (pip install numpy torch safetensors).
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from torch import nn
from torch.optim.swa_utils import update_bn


class Net(nn.Module):
    """The layout of PlasticityLab's `mlp[16,16] relu norm=batchnorm` on 12 inputs, 4 classes."""

    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(12, 16), nn.BatchNorm1d(16), nn.ReLU(),
                                    nn.Linear(16, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Linear(16, 4))

    def forward(self, x):
        return self.layers(x)


def data(rng, n):
    centers = np.random.default_rng(99).normal(size=(4, 12)).astype(np.float32)
    y = rng.integers(0, 4, size=n)
    x = (centers[y] + 0.8 * rng.normal(size=(n, 12))).astype(np.float32)
    return x, y.astype(np.int64)


def train(seed, x, y):
    torch.manual_seed(seed)
    net = Net()
    opt = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    g = torch.Generator().manual_seed(seed)
    for _ in range(150):
        idx = torch.randint(0, len(x), (32,), generator=g)
        opt.zero_grad()
        nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
        opt.step()
    return {k: v.detach().clone().contiguous() for k, v in net.state_dict().items()}


def evaluate(state, x, y, xs_train):
    net = Net()
    net.load_state_dict(state)
    update_bn([(xs_train,)], net)  # one batch of all training inputs, as --batch 500 with N < 500
    net.eval()
    with torch.no_grad():
        out = net(x)
        return nn.functional.cross_entropy(out, y).item(), (out.argmax(1) == y).float().mean().item()


def main():
    plasticity = sys.argv[1]
    rng = np.random.default_rng(0)
    xtr, ytr = data(rng, 300)
    xte, yte = data(rng, 200)
    work = Path(tempfile.mkdtemp(prefix="lmc-torch-"))
    for name, arr in [("xtr", xtr), ("ytr", ytr), ("xte", xte), ("yte", yte)]:
        np.save(work / f"{name}.npy", arr)
    tx, ty, vx, vy = map(torch.from_numpy, (xtr, ytr, xte, yte))
    sa, sb = train(1, tx, ty), train(2, tx, ty)
    save_file(sa, str(work / "A.safetensors"))
    save_file(sb, str(work / "B.safetensors"))
    (work / "config.toml").write_text(
        '[model]\narch = "mlp"\nwidths = [16, 16]\nnorm = "batchnorm"\n'
        f'[data]\ndataset = "npy"\ninputs = "{work}/xtr.npy"\nlabels = "{work}/ytr.npy"\n'
        f'test_inputs = "{work}/xte.npy"\ntest_labels = "{work}/yte.npy"\n')
    subprocess.run([plasticity, "lmc", str(work / "A.safetensors"), str(work / "B.safetensors"),
                    "--config", str(work / "config.toml"), "--points", "5", "--train-subset", "0",
                    "--test-subset", "0", "--out", str(work / "out")], check=True, stdout=subprocess.DEVNULL)
    report = json.loads((work / "out" / "lmc.json").read_text())["report"]
    worst = 0.0
    for group, others, members in [("all", "A", list(sa)), ("layers.3", "B", ["layers.3.weight", "layers.3.bias"])]:
        curve = next(c for c in report["curves"] if c["group"] == group and c["others"] == others)
        for i, a in enumerate(report["alphas"]):
            base = sa if others == "A" else sb
            state = {k: ((1 - a) * sa[k] + a * sb[k]) if k in members and sa[k].is_floating_point() else base[k]
                     for k in sa}
            for split, x, y in [("train", tx, ty), ("test", vx, vy)]:
                loss, acc = evaluate(state, x, y, tx)
                ours = curve[split]
                for theirs, mine in [(loss, ours["loss"][i]), (acc, ours["accuracy"][i])]:
                    worst = max(worst, abs(theirs - mine) / max(1.0, abs(theirs)))
    print(f"largest relative difference to PyTorch: {worst:.2e}")
    sys.exit(0 if worst < 1e-4 else 1)


if __name__ == "__main__":
    main()
