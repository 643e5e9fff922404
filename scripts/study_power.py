#!/usr/bin/env python3
"""Seeds for a Swiss-cheese-style study, from a one-seed pilot (docs/studies.md, "Power").

Reads the pilot's tidy results (DIR/results.csv.gz, written by `plasticity report DIR`),
applies the study file's declared weight-decay rule, and prints, for every claim the study
will test, the pilot's effect, its spread and the power of the report's test at n seeds:

- "loses plasticity" (directional, paired t over seeds, held when the 95 % interval lies
  above 0): per task k = 2..T, e_k = o * (baseline_k - fresh_k) on the group's judged metric
  (o = -1 for accuracy); power = P(T_{n-1}(ncp) > t_{0.975, n-1}), ncp = mean * sqrt(n) / sd;
- "keeps plasticity best or tied-best" (intersection-union over rivals, each held when the
  interval of best - rival lies above -delta): per task, d_k = rival's probe plasticity loss
  - best's; power = product over rivals of P(T_{n-1}(ncp) > t_{0.975, n-1}),
  ncp = (mean + delta) * sqrt(n) / sd.

One seed gives no spread across seeds, so sd is the spread of the per-task values over tasks
2..T. A seed's effect is the mean over those tasks, whose spread across seeds is smaller
unless tasks are strongly correlated: using the per-task spread is the conservative reading.

Each group's judged metric is its `metric` in the study file (DIR/study.toml; accuracy is
higher-is-better, anything else a loss), or `--metric GROUP=METRIC` to read it otherwise.

Usage: python3 scripts/study_power.py PILOT_DIR [--margin 0.1] [--power 0.8] [--max-seeds 30]
"""
import argparse
import csv
import gzip
import math
import tomllib
from collections import defaultdict

from scipy import stats

FRESH = "fresh"
WEIGHT_DECAY_FAMILIES = {"L2": "L2 ", "layernorm + L2": "layernorm + L2 "}


def read(path):
    """values[(group, variant, seed)][task][metric] from the tidy CSV."""
    values = defaultdict(lambda: defaultdict(dict))
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["group"], row["variant"], int(row["seed"]))
            values[key][int(row["task"])][row["metric"]] = float(row["value"])
    return values


def mean(xs):
    return sum(xs) / len(xs)


def sd(xs):
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def power(effect, spread, n, shift=0.0):
    """P(one-sided t test at 2.5 % rejects) for a true mean `effect + shift`, sd `spread`."""
    if spread == 0:
        return 1.0 if effect + shift > 0 else 0.0
    critical = stats.t.ppf(0.975, n - 1)
    return float(stats.nct.sf(critical, n - 1, (effect + shift) * math.sqrt(n) / spread))


def plasticity_loss(runs, group, variant, seed):
    tasks = runs[(group, variant, seed)]
    return [tasks[k]["probe.loss"] - tasks[k]["probe.loss_fresh"] for k in sorted(tasks) if k >= 2]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pilot")
    parser.add_argument("--margin", type=float, default=0.1, help="the tie margin delta (probe plasticity loss)")
    parser.add_argument("--power", type=float, default=0.8)
    parser.add_argument("--max-seeds", type=int, default=30)
    parser.add_argument("--metric", action="append", default=[], help="GROUP=METRIC, overriding the study file's")
    args = parser.parse_args()
    runs = read(f"{args.pilot}/results.csv.gz")
    with open(f"{args.pilot}/study.toml", "rb") as f:
        study = tomllib.load(f)
    metrics = {g["label"]: g["metric"] for g in study.get("groups", []) if "metric" in g}
    metrics.update(dict(m.split("=", 1) for m in args.metric))
    groups = sorted({g for g, _, _ in runs}, key=lambda g: ["random labels", "label permutation", "input permutation", "target offset"].index(g)
                    if g in ["random labels", "label permutation", "input permutation", "target offset"] else 99)
    variants = sorted({v for _, v, _ in runs})
    seed = min(s for _, _, s in runs)

    # The declared weight-decay rule: lowest probe plasticity loss (mean over tasks 2..T, then
    # over groups); a weaker strength within delta of the lowest wins.
    chosen = {}
    print("Weight-decay rule (probe plasticity loss, mean over tasks 2-T and protocols):")
    for family, prefix in WEIGHT_DECAY_FAMILIES.items():
        grid = sorted((v for v in variants if v.startswith(prefix)), key=lambda v: float(v[len(prefix):]))
        scores = {v: mean([mean(plasticity_loss(runs, g, v, seed)) for g in groups]) for v in grid}
        for v in grid:
            print(f"  {v}: {scores[v]:.4f}")
        lowest = min(scores.values())
        chosen[family] = next(v for v in grid if scores[v] <= lowest + args.margin)
        print(f"  -> {family}: {chosen[family][len(prefix):]}")
    rivals = [v for v in variants if v != FRESH and not any(v.startswith(p) for p in WEIGHT_DECAY_FAMILIES.values())] + [chosen["L2"]]
    best = chosen["layernorm + L2"]

    print(f"\nClaims, pilot seed {seed}, sd over tasks 2-T; power of the report's test at n seeds:")
    needed = []
    header = "  claim | mean | sd | " + " | ".join(f"n={n}" for n in (5, 8, 10, 15)) + " | n for power >= %.2f" % args.power
    print(header)
    for g in groups:
        metric = metrics[g]
        o = -1.0 if metric.endswith("accuracy") else 1.0
        base, fresh = runs[(g, "baseline", seed)], runs[(g, FRESH, seed)]
        e = [o * (base[k][metric] - fresh[k][metric]) for k in sorted(base) if k >= 2 and k in fresh]
        m, s = mean(e), sd(e)
        n_needed = next((n for n in range(5, args.max_seeds + 1) if power(m, s, n) >= args.power), None)
        needed.append(n_needed)
        print(f"  {g}: baseline loses plasticity ({metric}) | {m:.4f} | {s:.4f} | "
              + " | ".join(f"{power(m, s, n):.2f}" for n in (5, 8, 10, 15)) + f" | {n_needed or '> %d' % args.max_seeds}")
        best_loss = plasticity_loss(runs, g, best, seed)
        tests = []
        for r in rivals:
            d = [a - b for a, b in zip(plasticity_loss(runs, g, r, seed), best_loss)]
            tests.append((r, mean(d), sd(d)))
        closest = min(tests, key=lambda t: t[1])
        def iut(n):
            return math.prod(power(dm, ds, n, args.margin) for _, dm, ds in tests)
        n_needed = next((n for n in range(5, args.max_seeds + 1) if iut(n) >= args.power), None)
        needed.append(n_needed)
        print(f"  {g}: {best} best or tied (closest rival {closest[0]}: {closest[1]:.4f}, sd {closest[2]:.4f}) | | | "
              + " | ".join(f"{iut(n):.2f}" for n in (5, 8, 10, 15)) + f" | {n_needed or '> %d' % args.max_seeds}")
    reachable = [n for n in needed if n is not None]
    print(f"\nSeeds for power >= {args.power} on every claim the pilot points towards held: "
          f"{max(reachable) if reachable else 'none reachable'}"
          + ("" if len(reachable) == len(needed) else f" ({len(needed) - len(reachable)} claims need more than {args.max_seeds})"))


if __name__ == "__main__":
    main()
