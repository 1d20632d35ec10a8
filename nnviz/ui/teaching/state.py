"""The teaching pages' session state. Keys are declared here once: `MATH` for Step through the
math, `COMPARE` for Compare runs, `CLASSROOM` for the Classroom (the Export panel takes the key
of the page it sits on). A lesson's run lives in the Playground's own slots."""

from __future__ import annotations

from dataclasses import dataclass, field

from nnviz.core.trace import StepTrace
from nnviz.playground import Run, RunConfig
from nnviz.teaching import Comparison
from nnviz.teaching.step_math import DEFAULT_NETWORK
from nnviz.ui.state import Keys, SessionValue

MATH, COMPARE, CLASSROOM, EXPORT = Keys("math"), Keys("cmp"), Keys("class"), Keys("export")


@dataclass
class Inspection:
    """The last traced step: which run, its numbers, the batch loss after the update, and the
    gradient-check rows once computed."""

    run: Run
    trace: StepTrace
    loss_after: float
    check_rows: list[dict] | None = field(default=None)


MATH_CONFIG: SessionValue[RunConfig] = MATH.slot("config", lambda: DEFAULT_NETWORK)
OWN_RUN: SessionValue[Run | None] = MATH.slot("run", lambda: None)
INSPECTED: SessionValue[Inspection | None] = MATH.slot("inspected", lambda: None)
ERROR: SessionValue[str | None] = MATH.slot("error", lambda: None)

COMPARISON: SessionValue[Comparison | None] = COMPARE.slot("comparison", lambda: None)
COMPARING: SessionValue[bool] = COMPARE.slot("playing", lambda: False)
SPEED: SessionValue[int] = COMPARE.slot("speed", lambda: 10)

LESSON: SessionValue[str | None] = CLASSROOM.slot("lesson", lambda: None)
