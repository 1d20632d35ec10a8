"""nnviz: watch neural networks learn. A from-scratch NumPy core; the Streamlit app sits on top.

import nnviz
model = nnviz.build_mlp([2, 4, 1], activation="tanh", rng=np.random.default_rng(0))
"""

from nnviz import datasets
from nnviz.core import (
    Dense,
    ModelFileError,
    Sequential,
    StepResult,
    Trainer,
    TrainingDiverged,
    build_mlp,
    get_loss,
    get_optimizer,
    load_model,
    save_model,
)
from nnviz.digits import load_digit_model
