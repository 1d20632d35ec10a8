"""Peak memory of the server for each hostile input of issue 11 (and the largest good ones):
each is loaded in its own process, which reports its own peak RSS growth."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nnviz.core import build_mlp, limits, model_bytes
from tests.fuzz import crafted
from tests.fuzz.crafted import dense, model_file, record

ROOT = Path(__file__).resolve().parents[2]
MAX_GROWTH_MB = 300


def relu_tower(path: Path) -> Path:
    layers = [dense(784, 10)] + [{"type": "relu"}] * 1_000_000
    path.write_bytes(model_file(record(layers), compressed=True))
    return path


def largest_model(path: Path) -> Path:
    model = build_mlp([784, 4096, 180, 10], "relu", rng=np.random.default_rng(0))
    assert model.n_parameters <= limits.MODEL_PARAMETERS
    path.write_bytes(model_bytes(model))
    return path


def widest_csv(path: Path) -> Path:
    """20,000 rows with a long notes column: just under 50 MB, every limit met."""
    notes = "n" * 2_400
    with open(path, "w") as out:
        out.write("x1,x2,y,notes\n")
        out.writelines(f"{i},{-i},{i % 2},{notes}\n" for i in range(limits.CSV_ROWS))
    assert path.stat().st_size < limits.CSV_BYTES
    return path


def digit_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (limits.IMAGE_SIDE, limits.IMAGE_SIDE), "white")
    ImageDraw.Draw(image).line([(1000, 800), (3000, 800), (1600, 3400)], "black", 300)
    image.save(path)
    return path


CASES = {
    "zip bomb (2 MB → 2 GB)": (
        "model",
        "path",
        lambda d: crafted.zip_bomb(d / "m.npz", 2_000_000_000),
        "ModelFileError",
    ),
    "member larger than declared": (
        "model",
        "bytes",
        lambda d: write(d / "m.npz", crafted.lying_sizes(20_000_000)),
        "ModelFileError",
    ),
    "784 → 400,000 layer": (
        "model",
        "bytes",
        lambda d: write(d / "m.npz", model_file(record([dense(784, 400_000)]))),
        "ModelFileError",
    ),
    "784 → 2,000,000 layer": (
        "model",
        "bytes",
        lambda d: write(d / "m.npz", model_file(record([dense(784, 2_000_000)]))),
        "ModelFileError",
    ),
    "1,000,000 relu layers": (
        "model",
        "bytes",
        lambda d: relu_tower(d / "m.npz"),
        "ModelFileError",
    ),
    "npy header of 7.28 TiB": (
        "model",
        "bytes",
        lambda d: write(d / "m.npz", crafted.huge_npy_header()),
        "ModelFileError",
    ),
    "100 MB CSV (path)": (
        "csv",
        "path",
        lambda d: crafted.big_csv(d / "big.csv", 100_000_000),
        "DatasetError",
    ),
    "100 MB CSV (upload)": (
        "csv",
        "file",
        lambda d: crafted.big_csv(d / "big.csv", 100_000_000),
        "DatasetError",
    ),
    "5,000 text labels": (
        "csv",
        "file",
        lambda d: write(d / "l.csv", crafted.csv_rows(5_000, label=lambda i: f"label-{i}")),
        "DatasetError",
    ),
    "20,000 integer classes": (
        "csv",
        "file",
        lambda d: write(d / "l.csv", crafted.csv_rows(20_000, label=lambda i: i)),
        "DatasetError",
    ),
    "12000×12000 PNG": (
        "image",
        "bytes",
        lambda d: crafted.blank_png(d / "big.png", 12_000, 12_000),
        "DatasetError",
    ),
    "largest allowed model": ("model", "bytes", lambda d: largest_model(d / "m.npz"), "ok"),
    "largest allowed CSV": ("csv", "file", lambda d: widest_csv(d / "wide.csv"), "ok"),
    "largest allowed picture": ("image", "bytes", lambda d: digit_png(d / "digit.png"), "ok"),
}


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("case", CASES)
def test_peak_memory_stays_bounded(case, tmp_path):
    kind, source, make, expected = CASES[case]
    path = make(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "tests.fuzz.measure", kind, source, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    print(f"{case}: +{report['growth_mb']} MB peak RSS; {report['outcome']}")
    assert report["outcome"].split(":")[0] == expected, report["outcome"]
    assert report["growth_mb"] <= MAX_GROWTH_MB
