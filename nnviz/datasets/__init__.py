"""Datasets: one container (`Dataset`); generators share one signature `(n_samples, noise, rng)`."""

from nnviz.datasets.base import Dataset, DatasetError
from nnviz.datasets.csv import from_csv
from nnviz.datasets.drawing import DrawingStages, drawing_stages, preprocess_drawing
from nnviz.datasets.mnist import MNIST_FILES, ImageDataset, load_mnist
from nnviz.datasets.sketches import hard_sketches, sketch_digits
from nnviz.datasets.strokes import render_strokes
from nnviz.datasets.synthetic import (
    DATASETS,
    circles,
    gaussians,
    get_dataset,
    moons,
    regression_plane,
    spirals,
    toy,
    xor,
    xor_table,
)
from nnviz.datasets.transforms import FEATURES, Standardizer, add_features, train_test_split
