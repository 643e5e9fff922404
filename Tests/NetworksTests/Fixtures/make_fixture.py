"""Writes python_written.safetensors, the fixture SafetensorsTests reads.

Run with a Python that has numpy and safetensors (pip install numpy safetensors):
    python make_fixture.py
"""
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

tensors = {
    "layers.0.weight": (0.5 * np.arange(6, dtype=np.float32)).reshape(2, 3),
    "layers.0.bias": np.array([-1.25, 3.0], dtype=np.float32),
    "bn.num_batches_tracked": np.array(7, dtype=np.int64),
    "x.f64": np.array([0.1, -2.5, 1e10], dtype=np.float64),
}
out = Path(__file__).with_name("python_written.safetensors")
save_file(tensors, str(out), metadata={"format": "pt"})
print(f"wrote {out} ({out.stat().st_size} bytes)")
