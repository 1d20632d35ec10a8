"""Teaching tools over Playground runs: one step as textbook equations and its gradient check,
runs compared side by side, the classic tutorials as presets, and a run exported as code.
"""

from nnviz.teaching.compare import EXPERIMENTS, Comparison, Experiment, Variant
from nnviz.teaching.export import keras_script, numpy_script
from nnviz.teaching.export_digits import keras_digits_script
from nnviz.teaching.presets import (
    PRESETS,
    Preset,
    lesson_config,
    parse_preset_query,
    preset_query,
)
