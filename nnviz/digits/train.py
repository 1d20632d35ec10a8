"""Train the shipped digit model: `python -m nnviz.digits [--epochs N --seed S --out PATH]`.

Reproducible from the real MNIST (found through `load_mnist`: `$NNVIZ_DATA_DIR`, the user cache,
or a verified download). The data pipeline is kept honest:

- train on the 60,000 MNIST training images only, redrawn at random every batch
  (`nnviz.datasets.augment`) so freehand digits look familiar;
- report accuracy on the 10,000 MNIST test images, and on canvas-style drawings from
  `sketch_digits` sent through `preprocess_drawing` exactly as the Draw page sends them.
  The sketches are never trained on: they are the held-out check of freehand robustness.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from nnviz.core import Sequential, Trainer, build_mlp, get_loss, get_optimizer, save_model
from nnviz.datasets import load_mnist, preprocess_drawing, sketch_digits
from nnviz.datasets.augment import Augmentation, AugmentedImages
from nnviz.datasets.mnist import MNIST_CREDIT

DEFAULT_OUT = Path(__file__).parents[1] / "assets" / "digit_model.npz"
SIZES = [784, 256, 128, 10]
SKETCH_SEED, SKETCH_COUNT = 2024, 1000


def build_digit_model(rng: np.random.Generator, dropout: float = 0.2) -> Sequential:
    """784-256-128-10 ReLU MLP in float32 with dropout after each hidden layer."""
    return build_mlp(
        SIZES, "relu", initializer="he_normal", dropout=dropout, rng=rng, dtype=np.float32
    )


def accuracy_on(model: Sequential, x: np.ndarray, y: np.ndarray, batch: int = 2000) -> float:
    """Fraction of rows whose arg-max class is the label."""
    hits = sum(
        int((model.predict(x[i : i + batch]) == y[i : i + batch]).sum())
        for i in range(0, len(x), batch)
    )
    return hits / len(x)


def sketch_set(n: int = SKETCH_COUNT, seed: int = SKETCH_SEED) -> tuple[np.ndarray, np.ndarray]:
    """`n` canvas-style drawings as the model sees them: `(x (n, 784), labels (n,))`."""
    images, labels = sketch_digits(n, np.random.default_rng(seed))
    rows = [preprocess_drawing(image) for image in images]
    keep = np.array([row is not None for row in rows])
    return np.concatenate([r for r in rows if r is not None]), labels[keep]


def learning_rate(epoch: int, epochs: int, peak: float = 2e-3, floor: float = 5e-5) -> float:
    """Cosine decay from `peak` to `floor` over the run: big steps first, fine ones last."""
    return floor + 0.5 * (peak - floor) * (1 + np.cos(np.pi * epoch / max(epochs - 1, 1)))


def train_digit_model(
    epochs: int = 20,
    seed: int = 0,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    limit: int | None = None,
    sketches: int = SKETCH_COUNT,
    log: Callable[[str], None] = print,
) -> tuple[Sequential, dict]:
    """Train from a fixed seed; return the model and its metadata record (for the file).

    Args:
        limit: use only the first `limit` images of each MNIST split (quick trials, tests).
        sketches: how many held-out canvas-style drawings to score after every epoch.
    """
    start = time.perf_counter()
    train, test = load_mnist(data_dir, limit=limit)
    init_rng, order_rng, augment_rng = np.random.default_rng(seed).spawn(3)
    model = build_digit_model(init_rng)
    spec = Augmentation()
    data = AugmentedImages(train.images, train.y, augment_rng, spec)
    optimizer = get_optimizer("adam", learning_rate=learning_rate(0, epochs))
    trainer = Trainer(
        model, get_loss("categorical_crossentropy"), optimizer, data, batch_size=128, rng=order_rng
    )
    sketch_x, sketch_y = sketch_set(sketches)
    log(f"{model!r}: {model.n_parameters:,} parameters; {len(train):,} training images")
    for epoch in range(epochs):
        optimizer.learning_rate = learning_rate(epoch, epochs)
        results = trainer.run_epoch()
        loss = np.mean([r.train_loss for r in results])
        test_acc = accuracy_on(model, test.x, test.y)
        sketch_acc = accuracy_on(model, sketch_x, sketch_y)
        log(
            f"epoch {epoch + 1:2d}/{epochs}  lr {optimizer.learning_rate:.2e}  loss {loss:.4f}  "
            f"MNIST test {test_acc:.2%}  sketches {sketch_acc:.2%}  "
            f"{time.perf_counter() - start:5.0f} s"
        )
    metadata = {
        "name": "nnviz digit model",
        "architecture": f"{'-'.join(map(str, SIZES))} ReLU MLP, dropout 0.2 (float32)",
        "input": "28×28 grey in [0, 1], white ink on black, MNIST-centred (preprocess_drawing)",
        "seed": seed,
        "epochs": epochs,
        "batch_size": 128,
        "optimizer": "adam, cosine learning rate 2e-3 → 5e-5",
        "augmentation": asdict(spec),
        "mnist_test_accuracy": round(test_acc, 4),
        "sketch_accuracy": round(sketch_acc, 4),
        "sketch_check": f"sketch_digits({sketches}, default_rng({SKETCH_SEED})), never trained on",
        "training_seconds": round(time.perf_counter() - start, 1),
        "trained_on": f"MNIST training set ({len(train):,} images), augmented",
        "credit": MNIST_CREDIT,
    }
    return model, metadata


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--data-dir", default=None, help="folder with the four MNIST .gz files")
    parser.add_argument("--limit", type=int, default=None, help="first N images (quick trials)")
    args = parser.parse_args(argv)
    model, metadata = train_digit_model(
        args.epochs, args.seed, data_dir=args.data_dir, limit=args.limit
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, args.out, metadata)
    megabytes = args.out.stat().st_size / 1e6
    test_acc, sketch_acc = metadata["mnist_test_accuracy"], metadata["sketch_accuracy"]
    print(
        f"wrote {args.out} ({megabytes:.2f} MB): MNIST test {test_acc:.2%}, "
        f"sketches {sketch_acc:.2%}, {metadata['training_seconds']:.0f} s"
    )
