"""Digits: the shipped MNIST model, a drawing → its prediction, what the model learned, an MNIST
training run, fine-tuning on a user's corrections, and a small offline sample of real digits.

`python -m nnviz.digits` trains the shipped model from the real MNIST files.
"""

from nnviz.digits.features import FeatureMaps, conv_outputs, first_filters, is_cnn
from nnviz.digits.fine_tune import Correction, FineTuneResult, fine_tune
from nnviz.digits.inspection import (
    DigitReport,
    Explanation,
    check_digit_model,
    classify_image,
    confusion_matrix,
    evaluate_digits,
    explain,
    read_digit_model,
)
from nnviz.digits.mnist_run import MAX_HIDDEN_LAYERS, MnistConfig, MnistRun
from nnviz.digits.predict import (
    DEFAULT_KIND,
    DigitPrediction,
    classify_drawing,
    digit_model_info,
    digit_prediction,
    load_digit_model,
)
from nnviz.digits.sample import load_digit_sample
