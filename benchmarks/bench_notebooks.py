"""The whole series: execution time of each notebook and the peak memory of its kernel.

Targets: all notebooks together under 90 s; each kernel under 400 MB peak resident memory.
Each notebook runs once in a fresh python3 kernel (nbclient), as `make notebooks` would,
without saving anything; the peak is the kernel's high-water resident memory read at the end.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
# The kernel's own peak resident memory in KiB. On Linux, VmHWM: ru_maxrss would also count the peak of
# the process that forked the kernel (this benchmark), which Linux carries across fork and exec.
PEAK = """
import resource, sys
try:
    print(next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmHWM')))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == 'darwin' else 1))
"""


def run(path: Path):
    """(seconds, peak MB) of one clean run of the notebook at `path`."""
    nb = nbformat.read(path, as_version=4)
    os.environ.pop("MPLBACKEND", None)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for i, cell in enumerate(nb.cells):
            client.execute_cell(cell, i)
        elapsed = time.perf_counter() - start
        probe = nbformat.v4.new_code_cell(PEAK)
        nb.cells.append(probe)
        client.execute_cell(probe, len(nb.cells) - 1)
    kb = int("".join(o.get("text", "") for o in probe.outputs).strip())
    mb = kb / 1024
    return elapsed, mb


def report(lines):
    lines.append("## Notebooks: clean run time and kernel peak memory (targets: 90 s in all, 400 MB each)\n")
    lines.append("| notebook | run time (s) | peak memory (MB) | verdict |")
    lines.append("|---|---|---|---|")
    total = 0.0
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        seconds, mb = run(path)
        total += seconds
        verdict = "meets target" if mb < 400 else "over 400 MB"
        lines.append(f"| {path.name} | {seconds:.1f} | {mb:.0f} | {verdict} |")
    lines.append(f"| **all** | **{total:.1f}** | | {'meets target' if total < 90 else 'over 90 s'} |")
    lines.append("")
    return lines


if __name__ == "__main__":
    for line in report([]):
        print(line)
