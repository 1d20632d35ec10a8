"""Load one input as the server would and print the outcome and peak RSS growth, as JSON.

Run in a fresh process (`python -m tests.fuzz.measure KIND SOURCE PATH`) so the peak belongs to
this one input. The peak is the kernel's high-water mark of resident memory: `VmHWM` in
/proc/self/status, reset through /proc/self/clear_refs once the imports and the input are in
memory, so growth counts only the loading. (`ru_maxrss` alone would not do: a child inherits
its parent's resident size at fork into it, here pytest's, which hides any smaller growth.
It is the fallback where /proc is missing.)

    KIND    model | csv | image
    SOURCE  path (the loader opens the file) | bytes (the upload's content) | file (a BytesIO)
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import sys
from pathlib import Path


def peak_mb() -> float:
    """The high-water mark of resident memory, in MB."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def reset_peak() -> float:
    """Set the high-water mark to the current resident size (Linux ≥ 4.0); the new peak."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    return peak_mb()


def main(kind: str, source: str, path: str) -> dict:
    import numpy as np

    from nnviz.core import ModelFileError, load_model
    from nnviz.datasets import DatasetError, from_csv
    from nnviz.datasets.drawing import upload_stages

    read = {"model": load_model, "csv": from_csv, "image": upload_stages}[kind]
    content = Path(path) if source == "path" else Path(path).read_bytes()
    if source == "file":
        content = io.BytesIO(content)
    before = reset_peak()
    try:
        result = read(content)
        if kind == "model":  # one prediction, as the Draw page makes
            result.predict_proba(np.ones((1, result.sizes[0])))
        outcome = "ok"
    except (ModelFileError, DatasetError) as error:
        outcome = f"{type(error).__name__}: {error}"
    return {"outcome": outcome, "growth_mb": round(peak_mb() - before, 1)}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:4])))
