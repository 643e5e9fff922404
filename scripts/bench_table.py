#!/usr/bin/env python3
"""Prints the ratio table of PlasticityLab vs the best peer from bench-peers.sh outputs.

Each input file holds lines `W<n> steps_per_s=<x> ...`, one per workload per round; the
table reports the median over rounds for each tool and thread count.
"""
import re
import statistics
import sys
from pathlib import Path

def medians(path):
    rates = {}
    if not path.exists():
        return rates
    for line in path.read_text().splitlines():
        m = re.match(r"(W\d) steps_per_s=([\d.]+)", line)
        if m:
            rates.setdefault(m.group(1), []).append(float(m.group(2)))
    return {k: statistics.median(v) for k, v in rates.items()}

def main(directory):
    d = Path(directory)
    print("| workload | threads | PlasticityLab | PyTorch | JAX | best peer | ratio |")
    print("|---|---|---|---|---|---|---|")
    for threads in (1, 2):
        ours, torch, jax = (medians(d / f"{tool}-{threads}.txt") for tool in ("ours", "torch", "jax"))
        for w in sorted(ours):
            peers = [r for r in (torch.get(w), jax.get(w)) if r]
            best = max(peers) if peers else None
            ratio = f"{ours[w] / best:.2f}x" if best else "-"
            fmt = lambda r: f"{r:.1f}" if r else "-"
            print(f"| {w} | {threads} | {ours[w]:.1f} | {fmt(torch.get(w))} | {fmt(jax.get(w))} | {fmt(best)} | {ratio} |")

if __name__ == "__main__":
    main(sys.argv[1])
