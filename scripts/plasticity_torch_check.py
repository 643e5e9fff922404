#!/usr/bin/env python3
"""Independent PyTorch runs of two negative reference results (issue 42).

Re-implements, from the study files and docs/studies.md only (no PlasticityLab code or
random streams), the standard design of two studies and prints the quantities their claims
read, so a "not held" can be told apart from a bug:

- `target-offset` (swiss-cheese, target-offset group): Fashion-MNIST's first 1,000 training
  images, MLP 784-128-128-10 (ReLU, PyTorch default init), Adam 1e-3, batch 64 from per-epoch
  shuffles (remainder dropped), 20 tasks x 2,000 steps; task k (1-based) regresses
  one-hot(y) + 2(k-1) with MSE (mean over batch and outputs). Variants `baseline` (never
  reset) and `fresh` (new network and new Adam before every task k >= 2). At every task end:
  full-set MSE (`train_loss`), accuracy (argmax == y) and the first layer's dead fraction.
- `mechanisms` (random labels, the same data and schedule; task k draws fresh uniform labels
  and trains with cross-entropy). Variants `baseline` and `layernorm` (Linear -> LayerNorm ->
  ReLU). At every task end: accuracy, the parameter norm over all parameters, per hidden layer
  the mean and std of the pre-activations *before* normalisation on the first 128 images and
  the mean's drift from initialisation, and probe plasticity: a copy of the network and a
  fixed fresh network of the same architecture each fit 128 fixed random labels of the first
  128 images (250 Adam steps of 64, no weight decay); `probe.plasticity_loss` = the copy's
  final cross-entropy on the probe set minus the fresh one's.

Usage: scripts/plasticity_torch_check.py {target-offset|mechanisms} [--seeds N] [--first-seed S]
       [--tasks T] [--steps S] [--out FILE.json]
       scripts/plasticity_torch_check.py --summarise FILE.json   (the tables of a finished or stopped check)
Needs numpy and torch (the interop venv of scripts/setup-interop.sh has both). Runs on one
thread; about 1 minute per run of 20 tasks on this project's 2-core machine.
"""
import argparse
import copy
import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

DATA = Path("/usr/share/datasets/fashion-mnist")


def fashion_mnist(n):
    """The first n training images in file order, scaled to [0, 1], and their labels."""
    with gzip.open(DATA / "train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:n]
    with gzip.open(DATA / "train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return torch.tensor(images, dtype=torch.float32) / 255, torch.tensor(labels, dtype=torch.long)


class MLP(nn.Module):
    """784-128-128-10, ReLU, optionally LayerNorm between each hidden Linear and its ReLU."""

    def __init__(self, layernorm):
        super().__init__()
        self.hidden = nn.ModuleList([nn.Linear(784, 128), nn.Linear(128, 128)])
        self.norms = nn.ModuleList([nn.LayerNorm(128) for _ in range(2)]) if layernorm else None
        self.out = nn.Linear(128, 10)

    def forward(self, x, record=None):
        for i, linear in enumerate(self.hidden):
            u = linear(x)
            if record is not None:
                record.append(u)
            x = F.relu(self.norms[i](u) if self.norms is not None else u)
        return self.out(x)


def train_task(net, opt, x, targets, loss_fn, steps, batch, gen):
    per_epoch = len(x) // batch
    for step in range(steps):
        j = step % per_epoch
        if j == 0:
            order = torch.randperm(len(x), generator=gen)
        idx = order[j * batch:(j + 1) * batch]
        loss = loss_fn(net(x[idx]), targets[idx])
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()


def hidden_inputs(net, x):
    """Each hidden layer's Linear output u (the normalisation's input), from one forward pass."""
    record = []
    with torch.no_grad():
        net(x, record)
    return record


def statistics(inputs):
    """(mean, std) of each hidden layer's u, std with ddof 0."""
    return [(u.mean().item(), u.std(unbiased=False).item()) for u in inputs]


def dead_fraction(net, inputs):
    """The fraction of the first hidden layer's units that are zero on every input."""
    with torch.no_grad():
        u = inputs[0] if net.norms is None else net.norms[0](inputs[0])
    return (F.relu(u) == 0).all(dim=0).float().mean().item()


def probe_loss(net, x, labels, steps=250, batch=64):
    """Final cross-entropy on the probe set after 250 Adam steps on it (no weight decay)."""
    net = copy.deepcopy(net)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(3)
    train_task(net, opt, x, labels, F.cross_entropy, steps, batch, gen)
    with torch.no_grad():
        return F.cross_entropy(net(x), labels).item()


def run(protocol, variant, seed, tasks, steps, x, y):
    torch.manual_seed(seed)
    layernorm = variant == "layernorm"
    net = MLP(layernorm)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    label_gen = torch.Generator().manual_seed(10_000 + seed)
    probe_x = x[:128]
    init_stats = statistics(hidden_inputs(net, probe_x))
    if protocol == "mechanisms":
        probe_labels = torch.randint(0, 10, (128,), generator=torch.Generator().manual_seed(2))
        with torch.random.fork_rng():
            torch.manual_seed(1)
            fresh_probe = probe_loss(MLP(layernorm), probe_x, probe_labels)
    records = []
    for k in range(1, tasks + 1):
        if variant == "fresh" and k >= 2:
            net = MLP(layernorm)
            opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        if protocol == "target-offset":
            targets = F.one_hot(y, 10).float() + 2.0 * (k - 1)
            loss_fn = F.mse_loss
        else:
            targets = torch.randint(0, 10, (len(x),), generator=label_gen)
            loss_fn = F.cross_entropy
        train_task(net, opt, x, targets, loss_fn, steps, 64, gen)
        with torch.no_grad():
            out = net(x)
            record = {"task": k, "train_loss": loss_fn(out, targets).item()}
            truth = y if protocol == "target-offset" else targets
            record["train_accuracy"] = (out.argmax(1) == truth).float().mean().item()
            inputs = hidden_inputs(net, probe_x)
            record["dead.layers.1"] = dead_fraction(net, inputs)
            record["param_norm"] = torch.sqrt(sum((p.double() ** 2).sum() for p in net.parameters())).item()
        if protocol == "mechanisms":
            stats = statistics(inputs)
            record["prenorm_mean_drift_init"] = float(np.mean([abs(m - m0) for (m, _), (m0, _) in zip(stats, init_stats)]))
            record["prenorm_shift_in_spread"] = float(np.mean([abs(m - m0) / max(s, 1e-8) for (m, s), (m0, _) in zip(stats, init_stats)]))
            record["probe.plasticity_loss"] = probe_loss(net, probe_x, probe_labels) - fresh_probe
        records.append(record)
    return records


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("protocol", choices=["target-offset", "mechanisms"], nargs="?")
    parser.add_argument("--summarise", type=Path, help="print the tables of a saved check and exit")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.summarise:
        results = json.loads(args.summarise.read_text())
        variants = list(dict.fromkeys(name.split("/")[0] for name in results))
        return summarise("mechanisms" if "layernorm" in variants else "target-offset", variants, results)
    if args.protocol is None:
        parser.error("give a protocol or --summarise FILE")
    torch.set_num_threads(1)
    x, y = fashion_mnist(1000)
    variants = ["baseline", "fresh"] if args.protocol == "target-offset" else ["baseline", "layernorm"]
    results = {}
    for seed in range(args.first_seed, args.first_seed + args.seeds):  # seed by seed: a stopped check keeps pairs
        for variant in variants:
            start = time.time()
            results[f"{variant}/{seed}"] = run(args.protocol, variant, seed, args.tasks, args.steps, x, y)
            last = results[f"{variant}/{seed}"][-1]
            print(f"{variant} seed {seed}: {time.time() - start:.0f} s, task {args.tasks}: "
                  + ", ".join(f"{k} {v:.4g}" for k, v in last.items() if k != "task"), file=sys.stderr, flush=True)
            if args.out:  # after every run, so a stopped check keeps what it finished
                args.out.write_text(json.dumps(results, indent=1))
    summarise(args.protocol, variants, results)


def summarise(protocol, variants, results):
    """Means over seeds at tasks 1, 2, 5, 10 and T, and the claims' per-seed effects."""
    tasks = len(next(iter(results.values())))
    keys = [k for k in next(iter(results.values()))[0] if k != "task"]
    for variant in variants:
        runs = [r for name, r in results.items() if name.startswith(variant + "/")]
        print(f"\n{variant} ({len(runs)} seeds), mean over seeds at task ends")
        shown = sorted({1, 2, 5, 10, tasks} & set(range(1, tasks + 1)))
        print("| metric | " + " | ".join(f"T{t}" for t in shown) + " |")
        for key in keys:
            print(f"| {key} | " + " | ".join(f"{np.mean([r[t - 1][key] for r in runs]):.4g}" for t in shown) + " |")
    first, second = variants
    seeds = sorted(int(n.split("/")[1]) for n in results if n.startswith(first + "/") and f"{second}/{n.split('/')[1]}" in results)
    for key in (["train_loss", "train_accuracy"] if protocol == "target-offset" else ["probe.plasticity_loss"]):
        effect = [np.mean([results[f"{first}/{s}"][t][key] - results[f"{second}/{s}"][t][key] for t in range(1, tasks)])
                  for s in seeds]
        print(f"\n{first} - {second}, {key}, mean over tasks 2-{tasks}, per seed: "
              + " ".join(f"{e:.4f}" for e in effect) + f"; mean {np.mean(effect):.4f}")
    if protocol == "mechanisms":
        for key in ["param_norm", "prenorm_mean_drift_init", "prenorm_shift_in_spread"]:
            effect = [results[f"{first}/{s}"][-1][key] - results[f"{second}/{s}"][-1][key] for s in seeds]
            print(f"{first} - {second}, {key} at task {tasks}, per seed: " + " ".join(f"{e:.3f}" for e in effect)
                  + f"; mean {np.mean(effect):.3f}")


if __name__ == "__main__":
    main()
