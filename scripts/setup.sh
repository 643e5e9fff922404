#!/usr/bin/env bash
# Installs what PlasticityLab needs on Debian: OpenBLAS, LAPACKE, zlib, SQLite, pkg-config,
# real Fashion-MNIST (dataset-fashion-mnist), and NumPy/SciPy for the interop tests.
# With --tests it also creates the Python venv of the TensorBoard and PyTorch parity tests
# (scripts/setup-interop.sh: tensorboard, torch, safetensors from PyPI; about 10 minutes the
# first time, most of it torch's CUDA dependencies).
# As root it installs with apt-get/pip; otherwise it prints the exact command to run.
set -euo pipefail

packages=(libopenblas-dev liblapacke-dev zlib1g-dev libsqlite3-dev pkg-config dataset-fashion-mnist)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "setup: installing ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "setup: missing Debian packages; run: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi
if ! python3 -c "import numpy, scipy" 2>/dev/null; then
    echo "setup: installing numpy and scipy for the interop tests"
    python3 -m pip install -q numpy scipy 2>/dev/null || python3 -m pip install -q --break-system-packages numpy scipy
fi
if [[ ${1:-} == --tests ]]; then
    bash "$(dirname "$0")/setup-interop.sh" tensorboard torch
fi
echo "setup: ok"
