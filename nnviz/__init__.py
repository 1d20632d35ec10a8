"""nnviz: watch neural networks learn. A from-scratch NumPy core; the Streamlit app sits on top.

import nnviz
model = nnviz.build_mlp([2, 4, 1], activation="tanh", rng=np.random.default_rng(0))
cnn = nnviz.build_cnn((1, 28, 28), filters=(8, 16), hidden=(128,), classes=10)  # rows of 784
"""

from nnviz import datasets
from nnviz.core import (
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    ModelFileError,
    Reshape,
    Sequential,
    StepResult,
    Trainer,
    TrainingDiverged,
    build_cnn,
    build_mlp,
    get_loss,
    get_optimizer,
    load_model,
    save_model,
)
from nnviz.digits import load_digit_model
