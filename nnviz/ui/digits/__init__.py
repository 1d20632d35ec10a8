"""The Train on MNIST and Draw a digit pages' pieces: `from nnviz.ui import digits as ui`."""

from nnviz.ui.app import setup_page
from nnviz.ui.digits.data import mnist_credit, mnist_or_download
from nnviz.ui.digits.draw import digit_input, draw_settings, prediction_view, stages_view
from nnviz.ui.digits.draw_details import digit_details
from nnviz.ui.digits.draw_features import feature_maps_view
from nnviz.ui.digits.state import RUN
from nnviz.ui.digits.train_panel import learned_panel, training_live, training_toolbar
from nnviz.ui.digits.train_sidebar import mnist_controls, model_files
