"""The digit pages' session state. Keys are declared here once: `TRAIN` for the Train page,
`DRAW` for the Draw page, `MNIST` for what both share (this session's model, the data).

The MNIST arrays and the shipped model are shared read-only by every session
(`st.cache_resource`); a model trained, uploaded or fine-tuned here lives in this session only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core import Sequential
from nnviz.digits import Correction, FineTuneResult, MnistRun
from nnviz.ui.state import Keys, SessionValue

TRAIN, DRAW, MNIST = Keys("tr"), Keys("dr"), Keys("mnist")


@dataclass(frozen=True)
class SessionModel:
    """A digit model made in this session: trained on the Train page, uploaded, or fine-tuned."""

    model: Sequential
    title: str


@dataclass(frozen=True)
class Tuning:
    """A fine-tuning done in this session: the model it started from, and the result."""

    base: Sequential
    base_title: str
    result: FineTuneResult


SESSION_MODEL: SessionValue[SessionModel | None] = MNIST.slot("model", lambda: None)
DOWNLOAD: SessionValue[bool] = MNIST.slot("download_asked", lambda: False)
RNG: SessionValue[np.random.Generator] = MNIST.slot("rng", np.random.default_rng)

RUN: SessionValue[MnistRun | None] = TRAIN.slot("run", lambda: None)
TRAINING: SessionValue[bool] = TRAIN.slot("training", lambda: False)
NOTICE: SessionValue[str | None] = TRAIN.slot("notice", lambda: None)  # why training stopped
# (file id, error or None) of the last model upload, so each file is read once
UPLOADED: SessionValue[tuple[str, str | None] | None] = TRAIN.slot("uploaded", lambda: None)

SOURCE: SessionValue[str] = DRAW.slot("source", lambda: "canvas")
PICK: SessionValue[int] = DRAW.slot("pick", lambda: 0)  # the real digit shown
CLEARS: SessionValue[int] = DRAW.slot("clears", lambda: 0)  # a new canvas key clears it
CORRECTIONS: SessionValue[list[Correction]] = DRAW.slot("corrections", list)
TUNING: SessionValue[Tuning | None] = DRAW.slot("tuning", lambda: None)
