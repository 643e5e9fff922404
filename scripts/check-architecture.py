#!/usr/bin/env python3
"""The house rules of docs/architecture.md that a machine can check, run by .ci/run.

1. Every `import` of a target's sources is declared in that target's dependencies in
   Package.swift (nothing compiles only because another module imported it first).
2. Interventions and Diagnostics see training only through Networks' TrainingContext:
   neither imports Training, Streams or anything above them (Diagnostics also Curvature,
   the R-operator of every layer, which itself needs only Networks and Tensors).
3. No code outside Networks switches on a concrete layer type (`is`/`as?`/`as!`/`as`
   followed by a layer class): it asks a layer's role protocols and methods instead.
4. With `--build-log FILE`: the log of a build has no compiler warning in this package's
   own files.
5. No `Process()` in Sources/ or Tests/: every child process starts through `Subprocess`
   (posix_spawn, waits with deadlines; issue 41).
6. `results/` holds at most 25 MB, with every run's metrics and every study's CSVs gzipped, and every committed run has its metrics.jsonl.gz
   (no plain `metrics.jsonl`, `results.csv` or `results-wide.csv`).
Prints one line per violation and exits 1 if there is any.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SYSTEM = {"Foundation", "Glibc", "Testing", "XCTest", "Dispatch", "FoundationNetworking", "Darwin", "Synchronization"}
LOWER_ONLY = {"Interventions": {"Networks", "Tensors", "Foundation", "CVectorMath"},
              "Diagnostics": {"Curvature", "Networks", "Tensors", "Foundation", "CLAPACKE", "CVectorMath"},
              "Curvature": {"Networks", "Tensors", "Foundation", "CVectorMath"}}
IMPORT = re.compile(r"^(?:@testable |@_implementationOnly )?import (\w+)")


def imports(path):
    """The modules a Swift file imports: its leading import lines (comments and blank lines
    between them allowed), so an `import` inside a string literal further down is not one."""
    found = []
    for line in open(path).read().split("\n"):
        stripped = line.strip()
        m = IMPORT.match(stripped)
        if m:
            found.append(m.group(1))
        elif stripped and not stripped.startswith("//") and not stripped.startswith("#if") and not stripped.startswith("#endif") and not stripped.startswith("#else"):
            break
    return found


def swift_files(directory):
    return sorted(glob.glob(os.path.join(ROOT, directory, "**", "*.swift"), recursive=True))


def declared_targets():
    text = open(os.path.join(ROOT, "Package.swift")).read()
    targets = {}
    for m in re.finditer(r'\.(?:target|executableTarget|testTarget)\(name: "(\w+)", dependencies: \[(.*?)\]', text, re.S):
        targets[m.group(1)] = set(re.findall(r'"(\w+)"', m.group(2)))
    return targets


def layer_classes():
    names = set()
    for f in swift_files("Sources/Networks"):
        for m in re.finditer(r"^public final class (\w+)\s*:\s*([^{]+)\{", open(f).read(), re.M):
            if re.search(r"\b(Layer|UnitLayer|DenseUnitLayer|NormalizationLayer)\b", m.group(2)):
                names.add(m.group(1))
    return names


def main():
    problems = []
    for target, dependencies in declared_targets().items():
        directory = "Sources/" + target if os.path.isdir(os.path.join(ROOT, "Sources", target)) else "Tests/" + target
        for f in swift_files(directory):
            for module in imports(f):
                if module not in dependencies | SYSTEM | {target}:
                    problems.append(f"{os.path.relpath(f, ROOT)}: imports {module}, which Package.swift does not list for {target}")
                allowed = LOWER_ONLY.get(target)
                if allowed is not None and module not in allowed:
                    problems.append(f"{os.path.relpath(f, ROOT)}: {target} may import only {', '.join(sorted(allowed))}, not {module}")
    concrete = re.compile(r"\b(?:is|as[?!]?)\s+(" + "|".join(sorted(layer_classes())) + r")\b")
    for f in swift_files("Sources"):
        if "/Sources/Networks/" in f:
            continue
        for number, line in enumerate(open(f).read().split("\n"), 1):
            code = line.split("//")[0]
            m = concrete.search(code)
            if m:
                problems.append(f"{os.path.relpath(f, ROOT)}:{number}: checks the concrete layer type {m.group(1)} outside Networks")
    for f in swift_files("Sources") + swift_files("Tests"):
        for number, line in enumerate(open(f).read().split("\n"), 1):
            if "Process()" in line.split("//")[0]:
                problems.append(f"{os.path.relpath(f, ROOT)}:{number}: starts a process with Foundation's Process; use Subprocess")
    total = 0
    for directory, _, files in os.walk(os.path.join(ROOT, "results")):
        # A committed run keeps its metrics, or its study's report cannot be rebuilt from a clone.
        if "summary.json" in files and "metrics.jsonl.gz" not in files:
            problems.append(f"{os.path.relpath(directory, ROOT)}: a run without metrics.jsonl.gz (is it ignored by results/.gitignore?)")
        for name in files:
            total += os.path.getsize(os.path.join(directory, name))
            if name in ("metrics.jsonl", "results.csv", "results-wide.csv"):
                problems.append(f"{os.path.relpath(os.path.join(directory, name), ROOT)}: commit it gzipped (plasticity report packs it)")
    if total > 25 * 1024 * 1024:
        problems.append(f"results/ holds {total / 1024 / 1024:.1f} MB, more than 25 MB")
    if len(sys.argv) == 3 and sys.argv[1] == "--build-log":
        for line in open(sys.argv[2], errors="replace"):
            if ": warning:" in line and (ROOT + "/Sources/" in line or ROOT + "/Tests/" in line):
                problems.append("build warning: " + line.strip())
    for p in sorted(set(problems)):
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
