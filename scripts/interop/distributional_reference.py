#!/usr/bin/env python3
"""PyTorch float64 reference for the two-hot and HL-Gauss losses (DistributionalTorchTests).

Reads a JSON file of cases written by the Swift test and prints, as JSON, for each case the
target distributions q, the mean cross-entropy loss, its gradient with respect to the
logits (autograd) and the softmax-mean predictions; cases with `dims` > 1 lay the logits out
as [N, dims * bins] (`view(N, dims, bins)`), average the loss over N * dims rows and also
report the accuracy: arg-max over dims of the predictions against the arg-max of the targets.

Written from the papers' definitions, not from the Swift code:
- two-hot (Lyle et al. 2023 after Schrittwieser et al. 2020): centres
  linspace(min, max, bins); y clipped to [min, max] is split linearly between the two
  neighbouring centres;
- HL-Gauss (Imani & White 2018; Farebrother et al. 2024): edges linspace(min, max, bins + 1),
  sigma = 0.75 * bin width unless given, cdf = erf((edges - y) / (sqrt(2) sigma)),
  q = diff(cdf) / (cdf[-1] - cdf[0]); the prediction uses the bin midpoints. For a target
  outside the support the same masses are taken from the tail on its side,
  1 + erf(t) = erfc(-t) (above) or 1 - erf(t) = erfc(t) (below), which is the same
  quantity without cancellation; once even that underflows, the limit: all mass on the
  nearest end bin.

Usage: distributional_reference.py CASES.json
"""
import json
import math
import sys

import torch


def two_hot(y, lo, hi, bins):
    centres = torch.linspace(lo, hi, bins, dtype=torch.float64)
    y = min(max(y, lo), hi)
    q = torch.zeros(bins, dtype=torch.float64)
    step = (hi - lo) / (bins - 1)
    j = min(int((y - lo) // step), bins - 2)
    upper = (y - centres[j].item()) / step
    q[j] = 1 - upper
    q[j + 1] = upper
    return q, centres


def hl_gauss(y, lo, hi, bins, sigma):
    edges = torch.linspace(lo, hi, bins + 1, dtype=torch.float64)
    sigma = sigma if sigma > 0 else 0.75 * (hi - lo) / bins
    t = (edges - y) / (math.sqrt(2) * sigma)
    if y > hi:
        cdf = torch.special.erfc(-t)
    elif y < lo:
        cdf = -torch.special.erfc(t)
    else:
        cdf = torch.special.erf(t)
    total = cdf[-1] - cdf[0]
    if total > 0:
        q = torch.diff(cdf) / total
    else:
        q = torch.zeros(bins, dtype=torch.float64)
        q[0 if y < lo else bins - 1] = 1
    return q, (edges[:-1] + edges[1:]) / 2


def evaluate(case):
    lo, hi, bins, dims = case["min"], case["max"], case["bins"], case.get("dims", 1)
    targets = torch.tensor(case["targets"], dtype=torch.float64).reshape(-1)
    pairs = [two_hot(y, lo, hi, bins) if case["kind"] == "two-hot" else hl_gauss(y, lo, hi, bins, case.get("sigma", 0))
             for y in targets.tolist()]
    q = torch.stack([p[0] for p in pairs])
    centres = pairs[0][1]
    logits = torch.tensor(case["logits"], dtype=torch.float64).reshape(len(targets), bins).requires_grad_()
    loss = -(q * torch.log_softmax(logits, dim=-1)).sum(-1).mean()
    loss.backward()
    mean = (torch.softmax(logits, dim=-1) * centres).sum(-1).detach()
    out = {"q": q.tolist(), "loss": loss.item(), "gradient": logits.grad.reshape(-1).tolist(), "predictions": mean.tolist()}
    if dims > 1:
        predicted = mean.reshape(-1, dims).argmax(1)
        truth = targets.reshape(-1, dims).argmax(1)
        out["accuracy"] = (predicted == truth).double().mean().item()
    return out


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    json.dump([evaluate(c) for c in cases], sys.stdout)


if __name__ == "__main__":
    main()
