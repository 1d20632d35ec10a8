"""Small shared pieces for controls: names people read, option ladders, seeded widget keys.

Widgets never get a `value=`: each key is seeded once from a config (URL or session), so the
config stays the one source of truth and Streamlit never warns about two sources.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from nnviz.config import CSV

DATASET_LABELS = {
    "circles": "Circles",
    "xor": "XOR (noisy)",
    "moons": "Moons",
    "spirals": "Spirals",
    "spirals3": "Spirals, 3 classes",
    "gaussians": "Gaussians, 3 classes",
    "regression": "Regression plane",
    "xor_table": "XOR truth table (4 points)",
    "toy": "Toy table (8 points)",
    CSV: "Upload a CSV…",
}
INITIALIZER_LABELS = {
    "glorot_uniform": "Glorot (Xavier)",
    "he_normal": "He",
    "lecun_normal": "LeCun",
    "small_random": "small random (×0.01)",
    "zeros": "zeros",
}
OPTIMIZER_LABELS = {"sgd": "SGD", "momentum": "momentum", "rmsprop": "RMSprop", "adam": "Adam"}
LOSS_LABELS = {"cross_entropy": "cross-entropy", "mse": "mean squared error"}
HIDE_LABELS = {
    "data": "dataset",
    "features": "input features",
    "network": "network shape",
    "regularization": "regularization",
    "loss": "loss",
    "optimizer": "optimizer",
    "learning_rate": "learning rate",
    "batch_size": "batch size",
    "speed": "speed and stopping",
}
LEARNING_RATES = tuple(float(f"{m}e{e}") for e in range(-5, 2) for m in (1, 3)) + (100.0,)
L2_RATES = (0.0, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1)
SPEEDS = (1, 2, 5, 10, 20, 50, 100, 200)


def seeded(key: str, value: object) -> str:
    """Give widget `key` the value `value` unless it already has one; return the key."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def ladder(options: Iterable, value: object) -> list:
    """`options` with `value` added if missing (a link may carry any valid value); numbers
    come back sorted, names in their given order."""
    merged = list(options)
    if value not in merged:
        merged.append(value)
    return merged if isinstance(value, str) else sorted(merged)
