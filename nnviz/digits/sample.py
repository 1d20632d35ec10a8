"""A few hundred real MNIST test digits shipped inside the package, for when MNIST is not here.

The Draw page's "show me a real MNIST digit" and the fine-tuning replay work offline from this
sample. It is made reproducibly from the real files: `python -m nnviz.digits.sample` takes
`PER_DIGIT` test images of each digit, chosen at random from a fixed seed.

MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0; the sample is a
subset of the test set shipped under the same licence, with this credit.
"""

from __future__ import annotations

import argparse
import functools
from importlib import resources
from pathlib import Path

import numpy as np

from nnviz.datasets import ImageDataset, load_mnist
from nnviz.datasets.mnist import MNIST_CREDIT

ASSET = "mnist_sample.npz"
PER_DIGIT, SEED = 50, 7


def make_digit_sample(
    test: ImageDataset, per_digit: int = PER_DIGIT, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`(images uint8 (n, 28, 28), labels (n,), test indices (n,))`, `per_digit` of each digit."""
    rng = np.random.default_rng(seed)
    picks = [
        np.sort(rng.choice(np.flatnonzero(test.y == d), per_digit, replace=False))
        for d in range(10)
    ]
    index = np.sort(np.concatenate(picks))
    return test.images[index], test.y[index], index


@functools.cache
def load_digit_sample() -> ImageDataset:
    """The shipped sample as an `ImageDataset` named "mnist-test-sample" (10 classes)."""
    content = resources.files("nnviz") / "assets" / ASSET
    with content.open("rb") as handle, np.load(handle, allow_pickle=False) as npz:
        images, labels = npz["images"], npz["labels"]
    return ImageDataset(images, labels, "mnist-test-sample", n_classes=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None, help="folder with the four MNIST .gz files")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "assets" / ASSET)
    args = parser.parse_args(argv)
    _, test = load_mnist(args.data_dir)
    images, labels, index = make_digit_sample(test)
    np.savez_compressed(
        args.out,
        images=images,
        labels=labels.astype(np.uint8),
        test_indices=index.astype(np.int32),
        credit=np.array(f"{MNIST_CREDIT}; {PER_DIGIT} test digits per class, seed {SEED}"),
    )
    print(f"wrote {args.out}: {len(labels)} digits, {args.out.stat().st_size / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
