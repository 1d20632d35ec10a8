"""Augmentation of 28×28 digit batches that mimics how people draw: NumPy only, vectorised.

A model trained on MNIST as it is has never seen a digit drawn a little tilted, a little wider,
or with a thinner pen, and freehand digits are all of these. So every batch is redrawn at
random before the model sees it:

    affine warp (rotation, shear, scale, shift) about each digit's centre of mass
    → stroke width: blend towards a dilated (thicker) or eroded (thinner) copy

The warp samples the source image by inverse mapping with bilinear interpolation: for an output
pixel p the value is `image(A⁻¹ (p − c − t) + c)`, where `A` is the linear part, `c` the
centre of mass and `t` the shift. A linear map about the centre of mass keeps that centre where
it is, so a shift moves the digit's centre by exactly `t`, as MNIST's own centring expects.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.datasets.base import DatasetError
from nnviz.datasets.mnist import to_unit


@dataclass(frozen=True)
class Augmentation:
    """How far each random change may go (each drawn uniformly in its range, per image).

    Args:
        rotation: ± degrees (positive turns the digit counter-clockwise on screen).
        shear: ± horizontal shear factor (x += shear · (centre row − row): a slant).
        scale: (low, high) overall size factor.
        aspect: (low, high) extra factor on the width only (freehand digits run wide).
        shift: ± pixels, rows and columns independently.
        thickness: ± stroke-width blend, -1 = fully eroded, +1 = fully dilated.
        probability: the chance that an image is augmented at all (the rest pass unchanged).
    """

    rotation: float = 15.0
    shear: float = 0.25
    scale: tuple[float, float] = (0.85, 1.1)
    aspect: tuple[float, float] = (0.85, 1.2)
    shift: float = 2.0
    thickness: float = 0.8
    probability: float = 0.9


def as_unit_images(images: np.ndarray) -> np.ndarray:
    """uint8 0-255 or float 0-1, `(n, h, w)` or rows `(n, h·w)` of squares → float32 (n, h, w)."""
    a = np.asarray(images)
    if a.ndim == 2:
        side = int(round(np.sqrt(a.shape[1])))
        if side * side != a.shape[1]:
            raise DatasetError(f"rows of {a.shape[1]} pixels are not square images")
        a = a.reshape(len(a), side, side)
    if a.ndim != 3:
        raise DatasetError(f"expected images (n, height, width), got shape {a.shape}")
    if a.dtype == np.uint8:
        return to_unit(a)
    if not np.issubdtype(a.dtype, np.floating):
        raise DatasetError(f"images must be uint8 or float in [0, 1], got {a.dtype}")
    return a.astype(np.float32, copy=False)


def centre_of_mass(images: np.ndarray) -> np.ndarray:
    """Intensity centre `(n, 2)` as (row, col); the image centre for an empty image."""
    a = as_unit_images(images)
    n, h, w = a.shape
    mass = a.sum(axis=(1, 2))
    rows = a.sum(axis=2) @ np.arange(h, dtype=np.float32)
    cols = a.sum(axis=1) @ np.arange(w, dtype=np.float32)
    com = np.column_stack([rows, cols]) / np.maximum(mass, 1e-12)[:, None]
    com[mass <= 0] = ((h - 1) / 2, (w - 1) / 2)
    return com


def affine(images: np.ndarray, linear: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """Warp each image by `p ↦ A (p − c) + c + t` in (row, col) coordinates, c its centre of mass.

    Args:
        images: `(n, h, w)` uint8 or float.
        linear: `A`, `(n, 2, 2)` or one `(2, 2)` for all.
        shift: `t`, `(n, 2)` or one `(2,)` pixels (rows down, columns right).

    Returns float32 `(n, h, w)`; ink mapped from outside the field is black.
    """
    a = as_unit_images(images)
    n, h, w = a.shape
    inverse = np.linalg.inv(np.broadcast_to(np.asarray(linear, np.float64), (n, 2, 2)))
    inverse = inverse.astype(np.float32)[:, :, :, None, None]
    shift = np.broadcast_to(np.asarray(shift, np.float32), (n, 2))
    centre = centre_of_mass(a)
    # source = A⁻¹ (p − c − t) + c, for every output pixel p of every image
    dr = np.arange(h, dtype=np.float32) - (centre[:, 0] + shift[:, 0])[:, None]
    dc = np.arange(w, dtype=np.float32) - (centre[:, 1] + shift[:, 1])[:, None]
    dr, dc = dr[:, :, None], dc[:, None, :]
    rows = inverse[:, 0, 0] * dr + inverse[:, 0, 1] * dc + centre[:, 0, None, None]
    cols = inverse[:, 1, 0] * dr + inverse[:, 1, 1] * dc + centre[:, 1, None, None]
    return _bilinear(a, rows, cols)


def _bilinear(a: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Sample `a (n, h, w)` at fractional `rows`, `cols` (each `(n, h, w)`), zero outside."""
    n, h, w = a.shape
    padded = np.zeros((n, h + 2, w + 2), np.float32)
    padded[:, 1:-1, 1:-1] = a
    r = np.clip(rows + 1, 0, h + 1)
    c = np.clip(cols + 1, 0, w + 1)
    r0 = np.minimum(np.floor(r), h)
    c0 = np.minimum(np.floor(c), w)
    fr, fc = r - r0, c - c0
    r0, c0 = r0.astype(np.intp), c0.astype(np.intp)
    flat = padded.reshape(-1)
    base = np.arange(n, dtype=np.intp)[:, None, None] * ((h + 2) * (w + 2)) + r0 * (w + 2) + c0
    top = flat[base] * (1 - fc) + flat[base + 1] * fc
    bottom = flat[base + w + 2] * (1 - fc) + flat[base + w + 3] * fc
    return top * (1 - fr) + bottom * fr


def shift_images(images: np.ndarray, rows: float, cols: float) -> np.ndarray:
    """Move every image by (rows, cols) pixels (fractions interpolate)."""
    return affine(images, np.eye(2), np.array([rows, cols]))


def rotate_images(images: np.ndarray, degrees: float) -> np.ndarray:
    """Turn every image counter-clockwise (on screen) by `degrees` about its centre of mass."""
    return affine(images, rotation_matrix(np.array([degrees]))[0], np.zeros(2))


def rotation_matrix(degrees: np.ndarray) -> np.ndarray:
    """`(n, 2, 2)` rotations in (row, col) coordinates, where rows point down."""
    t = np.radians(np.asarray(degrees, np.float64))
    cos, sin = np.cos(t), np.sin(t)
    return np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)


def dilate(images: np.ndarray) -> np.ndarray:
    """Grey dilation by a 3×3 cross: each pixel takes the brightest of itself and its 4
    neighbours, which widens every stroke by about one pixel on each side."""
    return _cross(as_unit_images(images), np.maximum)


def erode(images: np.ndarray) -> np.ndarray:
    """Grey erosion by a 3×3 cross (the darkest of the five): strokes get thinner."""
    return _cross(as_unit_images(images), np.minimum)


def _cross(a: np.ndarray, pick: np.ufunc) -> np.ndarray:
    padded = np.pad(a, ((0, 0), (1, 1), (1, 1)))
    out = a.copy()
    for dr, dc in ((0, 1), (2, 1), (1, 0), (1, 2)):
        pick(out, padded[:, dr : dr + a.shape[1], dc : dc + a.shape[2]], out=out)
    return out


def change_thickness(images: np.ndarray, amount: np.ndarray | float) -> np.ndarray:
    """Blend each image towards its dilation (`amount` > 0) or erosion (< 0), |amount| ≤ 1."""
    a = as_unit_images(images)
    amount = np.broadcast_to(np.asarray(amount, np.float32), (len(a),))[:, None, None]
    target = np.where(amount > 0, dilate(a), erode(a))
    return a + np.abs(amount) * (target - a)


def augment(
    images: np.ndarray, rng: np.random.Generator, spec: Augmentation | None = None
) -> np.ndarray:
    """A randomly redrawn copy of a batch: float32 `(n, h, w)` in [0, 1] (see `Augmentation`).

    Each image is rescaled so its brightest pixel is 1, as `preprocess_drawing` scales drawings.
    """
    spec = spec or Augmentation()
    a = as_unit_images(images)
    n = len(a)
    on = rng.random(n) < spec.probability
    scale = rng.uniform(*spec.scale, n)
    size = np.zeros((n, 2, 2))
    size[:, 0, 0], size[:, 1, 1] = scale, scale * rng.uniform(*spec.aspect, n)
    shear = np.tile(np.eye(2), (n, 1, 1))
    shear[:, 1, 0] = -rng.uniform(-spec.shear, spec.shear, n)
    linear = rotation_matrix(rng.uniform(-spec.rotation, spec.rotation, n)) @ shear @ size
    linear[~on] = np.eye(2)
    shift = rng.uniform(-spec.shift, spec.shift, (n, 2)) * on[:, None]
    thickness = rng.uniform(-spec.thickness, spec.thickness, n) * on
    out = change_thickness(affine(a, linear, shift), thickness)
    # brightest pixel → 1, as `preprocess_drawing` scales a drawing (erosion dims thin strokes)
    out /= np.maximum(out.max(axis=(1, 2), keepdims=True), 1e-6)
    return np.clip(out, 0.0, 1.0, out=out)


class AugmentedImages:
    """A training set that is redrawn on every `batch()`: plugs into `Trainer` as a dataset.

    Only training data should be augmented; evaluate on the plain images.
    """

    def __init__(
        self,
        images: np.ndarray,
        labels: np.ndarray,
        rng: np.random.Generator,
        spec: Augmentation | None = None,
    ) -> None:
        if len(images) != len(labels):
            raise DatasetError(f"{len(images)} images but {len(labels)} labels")
        self.images, self.labels, self.rng, self.spec = images, labels, rng, spec or Augmentation()

    def __len__(self) -> int:
        return len(self.labels)

    def batch(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        x = augment(self.images[indices], self.rng, self.spec)
        return x.reshape(len(x), -1), self.labels[indices]

    def __repr__(self) -> str:
        return f"AugmentedImages({len(self)} images, {self.spec})"
