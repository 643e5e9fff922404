#!/usr/bin/env python3
"""Prints a study report's claims as a short markdown table: claim | n | mean [95 % interval] | verdict | Holm.

Usage: python3 scripts/verdict_table.py STUDY_DIR   (reads STUDY_DIR/report.md, written by `plasticity report`)
"""
import sys


def main(directory):
    lines = open(f"{directory}/report.md", encoding="utf-8").read().split("\n")
    start = lines.index("| claim | source | effect | n | mean | 95 % interval | method | δ | verdict | Holm verdict |")
    print("| claim | n | mean [95 % interval] | δ | verdict | Holm |")
    print("|---|---|---|---|---|---|")
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split(" | ")]
        claim, _, _, n, mean, interval, _, delta, verdict, holm = cells
        print(f"| {claim} | {n} | {mean} {interval} | {delta} | {verdict} | {holm} |")


if __name__ == "__main__":
    main(sys.argv[1])
