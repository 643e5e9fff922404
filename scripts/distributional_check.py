#!/usr/bin/env python3
"""An independent PyTorch run of the target-scale study's target-offset stream.

Trains what `studies/target-scale.toml` (quick scale) trains, written from the papers'
definitions rather than from the Swift code: the first 1000 Fashion-MNIST training images
(pixels / 255), task k regresses e_y + k*shift, an MLP 784-128-128 (ReLU, PyTorch default
initialisation), Adam, batch 64 reshuffled every epoch. The loss is MSE, or a distributional
loss with `bins` logits per target dimension on [min, max]:

- two-hot: centres c_i = min + i*(max - min)/(bins - 1); the target, clipped to the support,
  is split linearly between its two neighbouring centres;
- HL-Gauss (Farebrother et al. 2024): bins of width w = (max - min)/bins, probabilities
  Phi((e_{i+1} - y)/sigma) - Phi((e_i - y)/sigma) renormalised over the support, sigma = ratio*w;

cross-entropy averaged over examples and target dimensions; the prediction is the softmax
mean of the centres. After every task it prints the training accuracy (arg-max of the
predicted vector against the class), the mean absolute error of the predicted targets, the
loss of the task's first batch and the mean loss over the task, the norm of all parameters
and of the output layer, and the fraction of hidden ReLU units that are zero on all 1000
images (dead). `--first-task K` starts a fresh network at task K: what a network without
the earlier tasks reaches there; `--reset-head` re-initialises the output layer (and its Adam
state) at every task start: what the hidden layers alone still allow.

Usage: scripts/distributional_check.py --loss hl-gauss [--lr 1e-3] [--bins 51] ...
Needs numpy and torch; run with the interop venv (/tmp/plasticity-interop/bin/python).
"""
import argparse
import gzip
import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def load_images(directory, count):
    with gzip.open(f"{directory}/train-images-idx3-ubyte.gz") as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)[:count]
    with gzip.open(f"{directory}/train-labels-idx1-ubyte.gz") as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)[:count]
    return torch.tensor(images, dtype=torch.float32) / 255, torch.tensor(labels, dtype=torch.int64)


class Support:
    """Bin centres and the target distribution of one distributional loss."""

    def __init__(self, kind, lo, hi, bins, sigma_ratio):
        self.kind = kind
        if kind == "two-hot":
            self.centres = torch.linspace(lo, hi, bins, dtype=torch.float64)
        else:
            width = (hi - lo) / bins
            self.edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64)
            self.centres = (self.edges[:-1] + self.edges[1:]) / 2
            self.sigma = sigma_ratio * width
        self.lo, self.hi = lo, hi

    def target(self, y):
        """q(y) for a flat tensor of targets: [len(y), bins]."""
        y = y.double()
        if self.kind == "hl-gauss":
            cdf = torch.special.erf((self.edges[None, :] - y[:, None]) / (math.sqrt(2) * self.sigma))
            return (cdf[:, 1:] - cdf[:, :-1]) / (cdf[:, -1:] - cdf[:, :1])
        c = self.centres
        y = y.clamp(self.lo, self.hi)
        upper = torch.searchsorted(c, y, right=True).clamp(1, len(c) - 1)
        frac = (y - c[upper - 1]) / (c[upper] - c[upper - 1])
        q = torch.zeros(len(y), len(c), dtype=torch.float64)
        q.scatter_(1, (upper - 1)[:, None], (1 - frac)[:, None])
        q.scatter_add_(1, upper[:, None], frac[:, None])
        return q


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--loss", choices=["mse", "hl-gauss", "two-hot"], default="hl-gauss")
    p.add_argument("--shift", type=float, default=4.0)
    p.add_argument("--tasks", type=int, default=5)
    p.add_argument("--first-task", type=int, default=1, help="start a fresh network at this task")
    p.add_argument("--steps", type=int, default=500)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--bins", type=int, default=51)
    p.add_argument("--min", type=float, default=-5.0)
    p.add_argument("--max", type=float, default=45.0)
    p.add_argument("--sigma-ratio", type=float, default=0.75)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--reset-head", action="store_true", help="re-initialise the output layer at every task start")
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = p.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    x, labels = load_images(a.data, 1000)
    classes = 10
    support = None if a.loss == "mse" else Support(a.loss, a.min, a.max, a.bins, a.sigma_ratio)
    per_target = 1 if support is None else a.bins
    net = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(),
                        nn.Linear(128, classes * per_target))
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    centres = None if support is None else support.centres.float()

    def predict(out):
        if support is None:
            return out
        return (F.softmax(out.view(-1, classes, a.bins), dim=-1) * centres).sum(-1)

    def loss_of(out, y):
        if support is None:
            return F.mse_loss(out, y)
        logp = F.log_softmax(out.view(-1, a.bins), dim=-1)
        return -(support.target(y.reshape(-1)).float() * logp).sum(-1).mean()

    print("task  train_acc  mean_abs_err  first_loss  task_mean_loss  param_norm  head_norm  dead_units")
    for k in range(a.first_task - 1, a.tasks):
        y = F.one_hot(labels, classes).float() + k * a.shift
        if a.reset_head and k > a.first_task - 1:
            net[4].reset_parameters()
            for q in net[4].parameters():
                opt.state.pop(q, None)
        losses = []
        step = 0
        while step < a.steps:
            order = torch.randperm(len(x))
            for b in range(len(x) // 64):
                if step == a.steps:
                    break
                idx = order[b * 64:(b + 1) * 64]
                opt.zero_grad()
                loss = loss_of(net(x[idx]), y[idx])
                loss.backward()
                opt.step()
                losses.append(loss.item())
                step += 1
        with torch.no_grad():
            pred = predict(net(x))
            acc = (pred.argmax(1) == labels).float().mean().item()
            err = (pred - y).abs().mean().item()
            norm = torch.sqrt(sum((q ** 2).sum() for q in net.parameters())).item()
            head = torch.sqrt(sum((q ** 2).sum() for q in net[4].parameters())).item()
            h1 = net[1](net[0](x))
            h2 = net[3](net[2](h1))
            dead = torch.cat([(h1 <= 0).all(0), (h2 <= 0).all(0)]).float().mean().item()
        print(f"{k + 1:4d}  {acc:9.3f}  {err:12.4f}  {losses[0]:10.4f}  {np.mean(losses):14.4f}  {norm:10.2f}"
              f"  {head:9.2f}  {dead:10.3f}")


if __name__ == "__main__":
    main()
