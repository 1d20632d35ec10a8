"""CNN speed, side by side in one run: `python -m bench.cnn` (prints figures, asserts nothing).

One MNIST epoch (60,000 images, batch 128, Adam, float32, softmax cross-entropy) of

    Reshape → Conv2D(1,8,5) → ReLU → MaxPool2D(2) → Conv2D(8,16,5) → ReLU → MaxPool2D(2)
    → Flatten → Dense(256,128) → ReLU → Dense(128,10)

- nnviz with BLAS on one thread (threadpoolctl, as the app runs it) and with BLAS's default;
- PyTorch on the CPU, the same net with its default threads (and, for reference, one thread),
  when importable (optional);
- the GEMM floor: the epoch's matrix-product FLOPs at this machine's float32 GEMM rate
  (best of a few 1024³ products), the time if nothing but the products cost anything.

The runs take turns (nnviz, nnviz, PyTorch, PyTorch, then again) and each figure is the best of
`--repeat`, so a busy machine slows all of them alike. Two-thread figures suffer most when other
processes share the two cores (a waiting thread spins): then rerun, or compare the 1-thread rows.
Target: nnviz (app threads) ≤ 1.5 × PyTorch (default threads).
MNIST comes from `load_mnist` (`NNVIZ_DATA_DIR=../shared/data/mnist` in this repo).
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

import nnviz
from nnviz.core import Conv2D, Dense, Sequential, build_cnn
from nnviz.datasets import Dataset, load_mnist

BATCH = 128


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def nnviz_run(train: Dataset, threads: int | None) -> tuple[Callable[[], object], Sequential]:
    """An epoch function of a fresh nnviz trainer, BLAS on `threads` (None = BLAS's default)."""
    rng = np.random.default_rng(0)
    model = build_cnn(rng=rng)
    trainer = nnviz.Trainer(
        model,
        nnviz.get_loss("categorical_crossentropy"),
        nnviz.get_optimizer("adam"),
        train,
        batch_size=BATCH,
        rng=rng,
    )

    def epoch() -> None:
        with threadpool_limits(limits=threads, user_api="blas"):
            trainer.run_epoch()

    return epoch, model


def torch_run(train: Dataset):
    """The same net and loop in PyTorch: `(epoch(threads), predict, default threads)`, or None
    when torch is missing."""
    try:
        import torch
    except ImportError:
        return None
    from torch import nn

    torch.manual_seed(0)
    x, y = torch.from_numpy(np.array(train.x)), torch.from_numpy(np.array(train.y))
    model = nn.Sequential(
        nn.Unflatten(1, (1, 28, 28)),
        nn.Conv2d(1, 8, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(256, 128),
        nn.ReLU(),
        nn.Linear(128, 10),
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    default_threads = torch.get_num_threads()

    def epoch(threads: int) -> None:
        torch.set_num_threads(threads)
        order = torch.randperm(len(x))
        for start in range(0, len(x), BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
        torch.set_num_threads(default_threads)

    def predict(rows: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return model(torch.from_numpy(np.ascontiguousarray(rows))).argmax(1).numpy()

    return epoch, predict, default_threads


def epoch_flops(model: Sequential, n: int) -> int:
    """Multiply-adds × 2 of every matrix product in one epoch: forward, dW and (where the
    layer computes it) dX, each `2·rows·inner·cols` for the product's shapes."""
    shape: tuple[int, ...] = (784,)
    per_sample = 0
    for layer in model.layers:
        out = layer.output_shape(shape) if hasattr(layer, "output_shape") else shape
        if isinstance(layer, Conv2D):
            product = 2 * out[0] * layer.weights.value[0].size * out[1] * out[2]
        elif isinstance(layer, Dense):
            product = 2 * layer.in_features * layer.out_features
        else:
            product = 0
        per_sample += product * (3 if getattr(layer, "input_grad", False) else 2)
        shape = out
    return per_sample * n


def gemm_rate(threads: int | None, repeat: int = 5) -> float:
    """Float32 FLOP/s of the best of `repeat` 1024 × 1024 products."""
    rng = np.random.default_rng(0)
    a, b = rng.random((2, 1024, 1024), dtype=np.float32)
    with threadpool_limits(limits=threads, user_api="blas"):
        best = min(timed(lambda: a @ b) for _ in range(repeat))
    return 2 * 1024**3 / best


def accuracy(predict: Callable[[np.ndarray], np.ndarray], test: Dataset) -> float:
    return float(np.mean(predict(test.x) == test.y))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="best of N epochs per figure")
    args = parser.parse_args(argv)

    train, test = load_mnist()
    runs: dict[str, Callable[[], object]] = {}
    one, one_model = nnviz_run(train, threads=1)
    default, _ = nnviz_run(train, threads=None)
    runs["nnviz, BLAS 1 thread (app)"] = one
    runs["nnviz, BLAS default threads"] = default
    theirs = torch_run(train)
    torch_name = f"PyTorch CPU ({theirs[2]} threads)" if theirs else ""
    if theirs is not None:
        runs[torch_name] = lambda: theirs[0](theirs[2])
        runs["PyTorch CPU (1 thread)"] = lambda: theirs[0](1)
    best = {name: math.inf for name in runs}
    for _ in range(args.repeat):
        for name, epoch in runs.items():
            best[name] = min(best[name], timed(epoch))

    flops = epoch_flops(one_model, len(train))
    floors = {"GEMM floor, 1 thread": flops / gemm_rate(1)}
    floors["GEMM floor, default threads"] = flops / gemm_rate(None)
    torch_time = best.get(torch_name)

    print(f"One MNIST epoch ({len(train):,} images, batch {BATCH}, Adam, float32) of")
    print(f"  {one_model!r}")
    print(f"  {one_model.n_parameters:,} parameters; {flops / 1e9:.0f} GFLOP of matrix products")
    print(f"\n  {'':34s} {'s/epoch':>8s} {'÷ PyTorch':>10s} {'÷ floor':>8s}")
    for name, seconds in best.items():
        ratio = f"{seconds / torch_time:10.2f}" if torch_time else f"{'–':>10s}"
        floor = floors[f"GEMM floor, {'1 thread' if '1 thread' in name else 'default threads'}"]
        print(f"  {name:34s} {seconds:8.2f} {ratio} {seconds / floor:8.1f}")
    for name, seconds in floors.items():
        print(f"  {name:34s} {seconds:8.2f}")
    if theirs is None:
        print("  PyTorch CPU                        not installed (optional)")
    print(
        f"\n  accuracy on the MNIST test set after these epochs: nnviz "
        f"{accuracy(one_model.predict, test):.2%}"
        + (f", PyTorch {accuracy(theirs[1], test):.2%}" if theirs else "")
    )
    if torch_time:
        ratio = best["nnviz, BLAS 1 thread (app)"] / torch_time
        verdict = "met" if ratio <= 1.5 else "NOT met"
        print(f"  target nnviz (app threads) ≤ 1.5 × PyTorch: {verdict} ({ratio:.2f} ×)")
        alike = best["nnviz, BLAS 1 thread (app)"] / best["PyTorch CPU (1 thread)"]
        print(f"  one thread each: nnviz / PyTorch = {alike:.2f} ×")


if __name__ == "__main__":
    main()
