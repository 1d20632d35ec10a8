"""Core speed, side by side in one run: `python -m bench.core` (prints figures, asserts nothing).

1. An MNIST-shaped epoch (60,000 × 784 float32, 784-128-10 ReLU, softmax cross-entropy, Adam,
   batch 128): nnviz, the textbook NumPy loop (float64, allocating every step), and PyTorch on
   the CPU when it is importable (optional, never a dependency).
2. The live playground's loop: 2-8-8-1 tanh, 200 points, full batch, SGD — steps per second.
3. `decision_grid` on 100 × 100 — milliseconds per grid.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

import nnviz
from nnviz.core import decision_grid
from nnviz.datasets import DATASETS, Dataset

N, FEATURES, HIDDEN, CLASSES, BATCH = 60_000, 784, 128, 10, 128


def best_of(fn: Callable[[], object], repeat: int) -> float:
    """Fastest wall time of `repeat` calls: the least disturbed by the rest of the machine."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def mnist_shaped(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.random((N, FEATURES), dtype=np.float32)
    y = rng.integers(0, CLASSES, N)
    return x, y


def nnviz_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[], object]:
    rng = np.random.default_rng(0)
    model = nnviz.build_mlp(
        [FEATURES, HIDDEN, CLASSES], "relu", initializer="he_normal", rng=rng, dtype=np.float32
    )
    trainer = nnviz.Trainer(
        model,
        nnviz.get_loss("categorical_crossentropy"),
        nnviz.get_optimizer("adam"),
        Dataset(x, y, "mnist-shaped"),
        batch_size=BATCH,
        rng=rng,
    )
    return trainer.run_epoch


def textbook_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[], object]:
    """The loop as the tutorials write it: float64, fresh arrays every step, columns as samples."""
    rng = np.random.default_rng(0)
    x64 = x.astype(np.float64)
    params = {
        "W1": rng.standard_normal((HIDDEN, FEATURES)) * np.sqrt(2 / FEATURES),
        "b1": np.zeros((HIDDEN, 1)),
        "W2": rng.standard_normal((CLASSES, HIDDEN)) * np.sqrt(2 / HIDDEN),
        "b2": np.zeros((CLASSES, 1)),
    }
    m_state = {k: np.zeros_like(v) for k, v in params.items()}
    v_state = {k: np.zeros_like(v) for k, v in params.items()}
    t = [0]

    def epoch() -> None:
        order = rng.permutation(N)
        for start in range(0, N, BATCH):
            idx = order[start : start + BATCH]
            X = x64[idx].T
            Y = np.eye(CLASSES)[y[idx]].T
            m = X.shape[1]
            Z1 = params["W1"] @ X + params["b1"]
            A1 = np.maximum(0, Z1)
            Z2 = params["W2"] @ A1 + params["b2"]
            E = np.exp(Z2 - Z2.max(axis=0))
            A2 = E / E.sum(axis=0)
            dZ2 = (A2 - Y) / m
            grads = {"W2": dZ2 @ A1.T, "b2": dZ2.sum(axis=1, keepdims=True)}
            dZ1 = (params["W2"].T @ dZ2) * (Z1 > 0)
            grads["W1"] = dZ1 @ X.T
            grads["b1"] = dZ1.sum(axis=1, keepdims=True)
            t[0] += 1
            for k in params:
                m_state[k] = 0.9 * m_state[k] + 0.1 * grads[k]
                v_state[k] = 0.999 * v_state[k] + 0.001 * grads[k] ** 2
                m_hat = m_state[k] / (1 - 0.9 ** t[0])
                v_hat = v_state[k] / (1 - 0.999 ** t[0])
                params[k] = params[k] - 0.001 * m_hat / (np.sqrt(v_hat) + 1e-7)

    return epoch


def torch_epoch(x: np.ndarray, y: np.ndarray) -> Callable[[], object] | None:
    try:
        import torch
    except ImportError:
        return None
    torch.manual_seed(0)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    model = torch.nn.Sequential(
        torch.nn.Linear(FEATURES, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, CLASSES)
    )
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()

    def epoch() -> None:
        order = torch.randperm(N)
        for start in range(0, N, BATCH):
            idx = order[start : start + BATCH]
            opt.zero_grad()
            loss_fn(model(xt[idx]), yt[idx]).backward()
            opt.step()

    return epoch


def tiny_trainer() -> nnviz.Trainer:
    rng = np.random.default_rng(0)
    data = DATASETS["circles"](n_samples=200, noise=0.1, rng=rng)
    model = nnviz.build_mlp([2, 8, 8, 1], "tanh", rng=rng)
    loss = nnviz.get_loss("binary_crossentropy")
    return nnviz.Trainer(model, loss, nnviz.get_optimizer("sgd", learning_rate=0.1), data, 200, rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs per figure")
    args = parser.parse_args()
    blas = {k: os.environ.get(k) for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    print(f"numpy {np.__version__}; BLAS env {blas}")

    x, y = mnist_shaped(np.random.default_rng(0))
    print("\n1. MNIST-shaped epoch (60,000 × 784, 784-128-10 relu, softmax CE, Adam, batch 128)")
    ours = best_of(nnviz_epoch(x, y), args.repeat)
    print(f"   nnviz (float32)             {ours:6.2f} s/epoch")
    base = best_of(textbook_epoch(x, y), 1)
    print(
        f"   textbook NumPy (float64)    {base:6.2f} s/epoch   nnviz is {base / ours:.1f}× faster"
    )
    torch_run = torch_epoch(x, y)
    if torch_run is None:
        print("   PyTorch CPU                 not installed (optional)")
    else:
        theirs = best_of(torch_run, args.repeat)
        print(
            f"   PyTorch CPU                 {theirs:6.2f} s/epoch   nnviz/PyTorch = "
            f"{ours / theirs:.2f} (target ≤ 0.8)"
        )

    trainer = tiny_trainer()
    steps = 2000
    seconds = best_of(lambda: trainer.run(steps), args.repeat)
    print("\n2. Playground loop (2-8-8-1 tanh, 200 points, full batch, SGD)")
    print(f"   {steps / seconds:8.0f} steps/s (target ≥ 8,000)")

    grid_model = trainer.model
    box = (-1.5, 1.5, -1.5, 1.5)
    calls = 200
    seconds = best_of(lambda: [decision_grid(grid_model, box, 100) for _ in range(calls)], 3)
    print("\n3. decision_grid 100 × 100 on the 2-8-8-1 net")
    print(f"   {seconds / calls * 1e3:8.2f} ms per grid (target ≤ 1 ms)")


if __name__ == "__main__":
    main()
