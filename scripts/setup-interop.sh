#!/usr/bin/env bash
# Creates the Python virtual environment the interop tests use (default /tmp/plasticity-interop,
# or $PLASTICITY_INTEROP_VENV) with packages from PyPI:
#   bash scripts/setup-interop.sh tensorboard            # TensorBoard event-file test only
#   bash scripts/setup-interop.sh tensorboard torch       # plus the PyTorch parity test
# The Swift tests find it at /tmp/plasticity-interop/bin/python (or $PLASTICITY_PYTHON) and
# skip, saying why, when a package is missing.
set -euo pipefail
venv=${PLASTICITY_INTEROP_VENV:-/tmp/plasticity-interop}
start=$(date +%s)
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
packages=()
for want in "${@:-tensorboard}"; do
    case $want in
        tensorboard) "$venv/bin/python" -c "import tensorboard" 2>/dev/null || packages+=(tensorboard) ;;
        torch) "$venv/bin/python" -c "import torch, safetensors, numpy" 2>/dev/null || packages+=(torch safetensors numpy) ;;
        *) echo "setup-interop: unknown group '$want' (tensorboard, torch)" >&2; exit 2 ;;
    esac
done
if ((${#packages[@]})); then
    echo "setup-interop: installing ${packages[*]} into $venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check "${packages[@]}"
fi
echo "setup-interop: $venv ready in $(( $(date +%s) - start )) s"
