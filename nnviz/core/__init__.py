"""The training core: NumPy and the standard library only."""

from nnviz.core.activations import ACTIVATIONS, get_activation, sigmoid, softmax
from nnviz.core.conv import Conv2D, MaxPool2D
from nnviz.core.gradcheck import gradient_check, numerical_gradient, relative_error
from nnviz.core.initializers import INITIALIZERS, get_initializer
from nnviz.core.layers import Dense, Dropout, Layer
from nnviz.core.losses import LOSSES, Loss, accuracy, get_loss
from nnviz.core.model import Sequential, build_cnn, build_mlp
from nnviz.core.optimizers import OPTIMIZERS, Optimizer, get_optimizer
from nnviz.core.parameter import Parameter
from nnviz.core.probes import (
    Grid,
    dead_unit_fraction,
    decision_grid,
    gradient_norms,
    hidden_activations,
    layer_outputs,
    layer_stats,
)
from nnviz.core.serialization import (
    LAYERS,
    ModelFileError,
    load_model,
    model_bytes,
    register_layer,
    save_model,
)
from nnviz.core.shapes import Flatten, Reshape
from nnviz.core.trainer import Evaluation, StepResult, Trainer, TrainingDiverged
