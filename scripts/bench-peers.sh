#!/usr/bin/env bash
# Measures PlasticityLab against PyTorch (eager) and JAX (jit) on workloads W1–W5 of
# ../shared/bench, interleaved in one run at 1 and 2 threads, and prints the ratio table.
# Usage: scripts/bench-peers.sh [ROUNDS]   (env: PEER_VENV, default .venv-bench; BENCH_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
bench_dir=${BENCH_DIR:-../shared/bench}
venv=${PEER_VENV:-.venv-bench}
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q torch jax optax numpy
fi
swift build -c release --product plasticity >/dev/null
out=$(mktemp -d)
for threads in 1 2; do
    cpus=$([[ $threads == 1 ]] && echo 0 || echo 0,1)
    for round in $(seq "$rounds"); do
        echo "threads=$threads round $round/$rounds" >&2
        taskset -c "$cpus" .build/release/plasticity bench --threads "$threads" >>"$out/ours-$threads.txt"
        taskset -c "$cpus" "$venv/bin/python" "$bench_dir/peer_torch.py" --threads "$threads" >>"$out/torch-$threads.txt"
        taskset -c "$cpus" "$venv/bin/python" "$bench_dir/peer_jax.py" --threads "$threads" 2>/dev/null >>"$out/jax-$threads.txt"
    done
done
python3 scripts/bench_table.py "$out"
