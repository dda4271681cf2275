"""Execute notebooks in place, top to bottom, as Restart & Run All would (used by `make notebooks`).

    python -m tools.run_notebooks notebooks/01_sigmoid_saturation.ipynb [...]

Each notebook runs in a fresh `python3` kernel from the notebooks/ folder; outputs and the
widget state (so explorers show their first figure in static HTML) are saved into the file.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def run(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.setdefault("language_info", {"name": "python"})
    env_backend = os.environ.pop("MPLBACKEND", None)  # let the kernel use its inline backend
    start = time.perf_counter()
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        if env_backend is not None:
            os.environ["MPLBACKEND"] = env_backend
    elapsed = time.perf_counter() - start
    nbformat.write(nb, path)
    return elapsed


def main(paths):
    # as `make` does: one BLAS thread (the series' matrices are small; a second thread only spins)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    for p in map(Path, paths):
        print(f"{p}: ran in {run(p):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:] or sorted(Path("notebooks").glob("*.ipynb")))
