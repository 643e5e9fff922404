#!/usr/bin/env bash
# PyTorch parity: installs torch and safetensors from PyPI into the interop venv (see
# setup-interop.sh), then runs the Swift test that builds our mlp and cnn networks, has
# scripts/interop/torch_parity.py load our checkpoints into the same PyTorch modules with
# load_state_dict(strict=True) and compare outputs, loss and gradients to 1e-4 relative, and
# loads a state dict that torch saved with safetensors.torch.save_file back here.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup-interop.sh torch
export PLASTICITY_PYTHON=${PLASTICITY_INTEROP_VENV:-/tmp/plasticity-interop}/bin/python
swift test -c release --filter TorchParityTests 2>&1 | tee /tmp/plasticity-torch-parity.log | grep -E "passed|failed|error|skipped|case " || true
grep -q "Test outputsAndGradientsMatchPyTorchBothWays() passed" /tmp/plasticity-torch-parity.log || { echo "torch-parity: FAILED"; exit 1; }
echo "torch-parity: passed in $(( $(date +%s) - start )) s"
