#!/usr/bin/env bash
# CI fuzz smoke: builds the fuzzing binary once, then fuzzes each reader for SECONDS
# (default 25) starting from the committed seeds in Fuzz/corpus/ (which include every input
# that ever crashed a reader). About 100 s of fuzzing plus the build (a few minutes cold).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-25}
start=$(date +%s)
scripts/fuzz.sh safetensors "$seconds"
for target in idx npy config; do FUZZ_SKIP_BUILD=1 scripts/fuzz.sh "$target" "$seconds"; done
echo "fuzz-smoke: finished in $(( $(date +%s) - start )) s"
