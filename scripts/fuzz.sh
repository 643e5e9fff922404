#!/usr/bin/env bash
# Fuzz one reader with libFuzzer + AddressSanitizer.
#   scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags…]
# TARGET: safetensors, idx, npy or config. Builds the PlasticityFuzz product into
# .build/fuzz (release, -sanitize=fuzzer,address), then fuzzes for SECONDS starting from the
# committed seeds in Fuzz/corpus/TARGET (read-only); new interesting inputs go to
# .build/fuzz/corpus/TARGET. A crash, out-of-bounds access, leak, >1 GiB allocation or a
# single input running >10 s stops the run, leaves the input in .build/fuzz/artifacts/ and
# exits non-zero. The last line printed is "TARGET: N executions in S s".
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
shift 2
case "$target" in safetensors|idx|npy|config) ;; *) echo "unknown target '$target' (safetensors, idx, npy, config)" >&2; exit 2 ;; esac
scratch=.build/fuzz
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  mkdir -p "$scratch"
  if ! swift build -c release --product PlasticityFuzz --scratch-path "$scratch" \
      -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING > "$scratch/build.log" 2>&1; then
    grep -v "Cannot export local symbol" "$scratch/build.log" | tail -30 >&2
    exit 1
  fi
fi
binary="$scratch/release/PlasticityFuzz"
mkdir -p "$scratch/corpus/$target" "$scratch/artifacts"
log="$scratch/$target.log"
# TOMLKit (a dependency) leaks a few bytes per parsed table; our code cannot free them, so
# leak detection is off for the config target only, and its memory limit is higher (the
# leaks add up to about 1 GB per million inputs).
leaks=1 rss=2048
[ "$target" = config ] && leaks=0 rss=6144
status=0
ASAN_OPTIONS=detect_leaks=$leaks "$binary" "$target" -detect_leaks=$leaks -max_total_time="$seconds" -timeout=10 -rss_limit_mb=$rss -malloc_limit_mb=1024 \
  -max_len=65536 -print_final_stats=1 -artifact_prefix="$scratch/artifacts/$target-" "$@" \
  "$scratch/corpus/$target" "Fuzz/corpus/$target" > "$log" 2>&1 < /dev/null || status=$?
runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
if [ "$status" -ne 0 ]; then
  tail -40 "$log" >&2
  echo "$target: FAILED after ${runs:-?} executions (log: $log)" >&2
  exit "$status"
fi
echo "$target: ${runs:-?} executions in $seconds s"
