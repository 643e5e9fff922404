#!/usr/bin/env python3
"""Prints the README's Findings table: every claim of every study with what the paper reports,
its quick-scale verdict (from the tables in docs/studies.md) and its verdicts at each committed
scale (results/<study>/<scale>/report.md and its follow-ups results/<study>/<scale>-<name>/report.md),
each linked to its report.

Usage: python3 scripts/findings_table.py [--readme]   (run from the repository root; --readme
replaces the table between README.md's findings markers instead of printing it)
A verdict cell is "unadjusted / Holm"; "–" where the scale has not been run (or does not test
the claim, such as the CNN arm at the quick scale).
"""
import glob
import re
import sys

STUDIES = ["swiss-cheese", "mechanisms", "target-scale", "shift-smoothness", "warm-start", "layerwise-lmc", "rl"]
SCALES = ["standard", "full"]

# What each paper reports, per claim kind (first matching pattern wins).
PAPER = {
    "swiss-cheese": [(r"loses plasticity", "the baseline fits each later task worse than a fresh network, on every protocol (Lyle et al. 2024, Fig. 1)"),
                     (r"best or tied-best", "LayerNorm + L2 is best or near-best on nearly every protocol (Lyle et al. 2024, Table 1)")],
    "mechanisms": [(r"parameter-norm growth", "parameter norm grows with plasticity loss (Lyle et al. 2024 §4)"),
                   (r"loses plasticity", "random-label training loses plasticity (Lyle et al. 2023)"),
                   (r"pre-activation shift lose", "pre-activation distribution shift accompanies it (Lyle et al. 2024 §4)"),
                   (r"Hessian", "curvature (Hessian λ_max) changes with plasticity loss (Lyle et al. 2023 §4)"),
                   (r"LayerNorm re", "LayerNorm removes the pre-activation shift (Lyle et al. 2024)"),
                   (r"eight decay bounds", "weight decay bounds the norm (Lyle et al. 2024)")],
    "target-scale": [(r"large targets leaves less", "large-offset targets damage probe plasticity (Lyle et al. 2023, 2024)"),
                     (r"distributional", "a distributional loss mitigates it (Lyle et al. 2024)")],
    "shift-smoothness": [(r"less plastic than a fresh", "abrupt re-draws leave the network less plastic (Lyle et al. 2024)"),
                         (r"more plasticity than gradual", "abrupt shifts cost more than smooth drift (Lyle et al. 2024)")],
    "warm-start": [(r"from scratch", "fresh beats warm start: CIFAR-10 MLP 39.4 vs 36.1 % (Adam), 39.0 vs 37.4 % (SGD) (Ash & Adams 2020)"),
                   (r"Shrink-and-perturb", "shrink-and-perturb closes most of the gap (Ash & Adams 2020, §4)")],
    "layerwise-lmc": [(r"whole network crosses", "a barrier when interpolating the whole network (Adilova et al. 2024)"),
                      (r"Every single layer", "single layers show little or no barrier (Adilova et al. 2024, Fig. 1)"),
                      (r"near zero", "single-layer barriers are near zero (Adilova et al. 2024)"),
                      (r"several layers", "cumulative interpolation locates the barrier (Adilova et al. 2024, Fig. 3)"),
                      (r"Averaging any single layer", "averaging single layers is cheap (Adilova et al. 2024)")],
    "rl": [(r"higher return", "LayerNorm (+ wd) agents keep improving (Lyle et al. 2023, 2024; ReDo: Sokar et al. 2023)"),
           (r"dormant", "the baseline's dormant ratio rises (Sokar et al. 2023)"),
           (r"srank", "the baseline's feature rank falls (Lyle et al. 2023)"),
           (r"param_norm", "the baseline's parameter norm grows (Lyle et al. 2024)")],
}


def quick_tables(doc):
    """claim -> "verdict / Holm" per study, from docs/studies.md's '### <study> (quick)' tables."""
    out, study = {}, None
    for line in open(doc, encoding="utf-8"):
        m = re.match(r"### (\S+) \(quick\)", line)
        if m:
            study = m.group(1)
            out[study] = {}
            continue
        if line.startswith("## "):
            study = None
        if study and line.startswith("| ") and not line.startswith("| claim") and not line.startswith("|---"):
            cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
            out[study][cells[0]] = (cells[-2].strip("*"), cells[-1].strip("*"))
    return out


def report_claims(path):
    """claim -> (verdict, Holm verdict), in order, from a report.md."""
    lines = open(path, encoding="utf-8").read().split("\n")
    head = "| claim | source | effect | n | mean | 95 % interval | method | δ | verdict | Holm verdict |"
    out = {}
    for line in lines[lines.index(head) + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        out[cells[0]] = (cells[8].strip("*"), cells[9].strip("*"))
    return out


def paper(study, claim):
    for pattern, text in PAPER[study]:
        if re.search(pattern, claim):
            return text
    return "–"


def table():
    quick = quick_tables("docs/studies.md")
    out = ["| study | claim | the paper reports | quick | " + " | ".join(SCALES) + " |",
           "|---|---|---|---|" + "---|" * len(SCALES)]
    for study in STUDIES:
        # A scale's column also reads its declared follow-ups (results/<study>/<scale>-<name>/,
        # e.g. swiss-cheese's standard-offset): a claim is linked to the report that has it.
        scaled = {}
        for s in SCALES:
            paths = sorted(glob.glob(f"results/{study}/{s}/report.md") + glob.glob(f"results/{study}/{s}-*/report.md"))
            scaled[s] = {claim: (v, path) for path in paths for claim, v in report_claims(path).items()}
        claims = list(quick.get(study, {}))
        for table in scaled.values():
            claims += [c for c in table if c not in claims]
        for claim in claims:
            q = quick.get(study, {}).get(claim)
            cells = [f"{q[0]} / {q[1]}" if q else "–"]
            for s in SCALES:
                found = scaled[s].get(claim)
                cells.append(f"[{found[0][0]} / {found[0][1]}]({found[1]})" if found else "–")
            out.append(f"| `{study}` | {claim} | {paper(study, claim)} | " + " | ".join(cells) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    if "--readme" in sys.argv[1:]:
        text = open("README.md", encoding="utf-8").read()
        begin, end = "<!-- findings:begin -->\n", "<!-- findings:end -->"
        head, rest = text.split(begin)
        _, tail = rest.split(end)
        open("README.md", "w", encoding="utf-8").write(head + begin + table() + "\n" + end + tail)
    else:
        print(table())
