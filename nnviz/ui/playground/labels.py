"""The names people read for the Playground's settings, and the ladders of values offered.

The Compare and math pages offer the same settings, so they read them from here too.
"""

from nnviz.playground import CSV

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
