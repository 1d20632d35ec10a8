import ast
import re
import subprocess
import sys

import pytest

from nnviz.playground.config import RunConfig, build_trainer
from nnviz.teaching.export import keras_script, numpy_script

CONFIGS = [
    RunConfig(dataset="circles", hidden=(4, 2), optimizer="sgd", learning_rate=0.1),
    RunConfig(dataset="xor", hidden=(4,), activations=("relu",), optimizer="adam",
              learning_rate=0.03, l2=0.001, standardize=True),
    RunConfig(dataset="spirals3", hidden=(8, 8), optimizer="momentum", learning_rate=0.05,
              features=("x1", "x2", "sin x1", "sin x2")),
    RunConfig(dataset="regression", hidden=(5,), activations=("sigmoid",), optimizer="rmsprop",
              learning_rate=0.01),
    RunConfig(dataset="toy", hidden=(3,), activations=("sigmoid",), loss="mse",
              initializer="small_random", batch_size=1),
    RunConfig(dataset="moons", hidden=(6,), activations=("leaky_relu",), loss="mse"),
]  # fmt: skip


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.dataset)
def test_numpy_export_runs_and_retraces_the_run(config, tmp_path):
    steps = 300
    trainer, data = build_trainer(config)
    trainer.run(steps)
    ours = trainer.evaluate(data.train_inputs).loss + trainer.l2_penalty()
    script = tmp_path / "run.py"
    script.write_text(numpy_script(config, steps))
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    theirs = float(re.search(r"final_loss=([\d.e+-]+)", result.stdout).group(1))
    assert theirs == pytest.approx(ours, rel=1e-3)  # same weights, data and batch order
    assert "import nnviz" not in script.read_text()


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: c.dataset)
def test_keras_export_is_valid_python_with_the_same_setup(config):
    code = keras_script(config, epochs=50)
    tree = ast.parse(code)
    calls = {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Attribute)}  # fmt: skip
    assert {"Sequential", "Dense", "compile", "fit"} <= calls
    assert code.count("layers.Dense(") == len(config.hidden) + 1
    trainer, _ = build_trainer(config)
    assert f"batch_size={trainer.batch_size}," in code
    assert f"learning_rate={config.learning_rate!r}" in code
