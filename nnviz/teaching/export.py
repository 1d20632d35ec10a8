""" "Show the code": a playground run as a standalone NumPy script, or as Keras code.

The NumPy script embeds the run's inputs, labels and initial weights and draws its batch order
from the same seed stream as nnviz, so it retraces the run without nnviz installed. The Keras
version is the same setup in the words most courses use (Sequential, Dense, compile, fit).
"""

from __future__ import annotations

import numpy as np

from nnviz.core import Sequential, Trainer
from nnviz.datasets import Dataset
from nnviz.playground.config import RunConfig, build_trainer

ACTIVATION_CODE = {
    "sigmoid": ("1 / (1 + np.exp(-z))", "a * (1 - a)"),
    "tanh": ("np.tanh(z)", "1 - a**2"),
    "relu": ("np.maximum(z, 0)", "(z > 0) * 1.0"),
    "leaky_relu": ("np.where(z > 0, z, 0.01 * z)", "np.where(z > 0, 1.0, 0.01)"),
    "linear": ("z", "np.ones_like(z)"),
}

LOSS_CODE = {
    "binary_crossentropy": '''def loss_and_grad(Z, y):
    """Sigmoid + cross-entropy on logits: dZ = (A - Y) / m."""
    Y = y.reshape(-1, 1)
    A = 1 / (1 + np.exp(-Z))
    loss = np.mean(np.maximum(Z, 0) - Z * Y + np.log1p(np.exp(-np.abs(Z))))
    return loss, (A - Y) / len(Z)''',
    "categorical_crossentropy": '''def loss_and_grad(Z, y):
    """Softmax + cross-entropy with integer labels: dZ = (P - onehot(y)) / m."""
    S = Z - Z.max(axis=1, keepdims=True)
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    loss = np.mean(np.log(np.exp(S).sum(axis=1)) - S[np.arange(len(y)), y])
    P[np.arange(len(y)), y] -= 1
    return loss, P / len(Z)''',
    "mse/identity": '''def loss_and_grad(Z, Y):
    """Squared error: L = Σ (Z - Y)² / m, dZ = 2 (Z - Y) / m."""
    D = Z - Y
    return np.sum(D * D) / len(Z), 2 * D / len(Z)''',
    "mse/sigmoid": '''def loss_and_grad(Z, y):
    """Squared error on probabilities A = σ(Z): dZ = 2 (A - Y) · A (1 - A) / m."""
    Y = y.reshape(-1, 1)
    A = 1 / (1 + np.exp(-Z))
    return np.sum((A - Y) ** 2) / len(Z), 2 * (A - Y) * A * (1 - A) / len(Z)''',
    "mse/softmax": '''def loss_and_grad(Z, y):
    """Squared error on softmax probabilities, back through the softmax Jacobian."""
    S = np.exp(Z - Z.max(axis=1, keepdims=True))
    P = S / S.sum(axis=1, keepdims=True)
    Y = np.eye(Z.shape[1])[y]
    dP = 2 * (P - Y) / len(Z)
    return np.sum((P - Y) ** 2) / len(Z), P * (dP - (dP * P).sum(axis=1, keepdims=True))''',
}

OPTIMIZER_CODE = {
    "sgd": """def update(params, grads, t):
    for p, g in zip(params, grads):
        p -= LEARNING_RATE * g""",
    "momentum": """VELOCITY = None


def update(params, grads, t):
    global VELOCITY
    VELOCITY = VELOCITY or [np.zeros_like(p) for p in params]
    for p, g, v in zip(params, grads, VELOCITY):
        v *= {momentum}
        v -= LEARNING_RATE * g
        p += {step}""",
    "rmsprop": """MEAN_SQUARE = None


def update(params, grads, t):
    global MEAN_SQUARE
    MEAN_SQUARE = MEAN_SQUARE or [np.zeros_like(p) for p in params]
    for p, g, s in zip(params, grads, MEAN_SQUARE):
        s[...] = {rho} * s + (1 - {rho}) * g**2
        p -= LEARNING_RATE * g / (np.sqrt(s) + {epsilon})""",
    "adam": """MOMENTS = None


def update(params, grads, t):
    global MOMENTS
    MOMENTS = MOMENTS or [(np.zeros_like(p), np.zeros_like(p)) for p in params]
    alpha = LEARNING_RATE * np.sqrt(1 - {beta_2}**t) / (1 - {beta_1}**t)
    for p, g, (m, v) in zip(params, grads, MOMENTS):
        m[...] = {beta_1} * m + (1 - {beta_1}) * g
        v[...] = {beta_2} * v + (1 - {beta_2}) * g**2
        p -= alpha * m / (np.sqrt(v) + {epsilon})""",
}

SCRIPT = '''"""nnviz export — {title}

Standalone: needs only NumPy. Model {model}; loss {loss}; optimizer {optimizer};
batch size {batch_size}; {steps} steps. Rows are samples: X (m, features), W (in, out),
Z = A W + b. (Many textbooks store samples as columns and write Z = W A + b: same numbers.)
"""

import numpy as np

X = np.array({x})  # network inputs{input_note}
Y = np.array({y})
W = [np.array(w) for w in {weights}]
B = [np.array(b) for b in {biases}]
ACTIVATIONS = {activations}
LEARNING_RATE = {learning_rate!r}
BATCH_SIZE = {batch_size}
STEPS = {steps}
L2 = {l2!r}  # penalty (L2 / 2) · Σ W², on weights only


def g(name, z):
    return {{{g}}}[name]


def g_prime(name, z, a):
    return {{{g_prime}}}[name]


def forward(A):
    """Returns the logits and, per layer, (A_prev, Z, A)."""
    cache = []
    for l, (w, b) in enumerate(zip(W, B)):
        Z = A @ w + b
        A_next = Z if l == len(W) - 1 else g(ACTIVATIONS[l], Z)
        cache.append((A, Z, A_next))
        A = A_next
    return A, cache


{loss_code}


def backward(dZ, cache):
    """dW = A_prevᵀ dZ, db = Σ dZ, dA_prev = dZ Wᵀ, dZ_prev = dA_prev ⊙ g'(Z_prev)."""
    grads_w, grads_b = [None] * len(W), [None] * len(W)
    for l in reversed(range(len(W))):
        A_prev = cache[l][0]
        grads_w[l] = A_prev.T @ dZ + L2 * W[l]
        grads_b[l] = dZ.sum(axis=0)
        if l:
            _, Z_prev, A_prev_out = cache[l - 1]
            dZ = (dZ @ W[l].T) * g_prime(ACTIVATIONS[l - 1], Z_prev, A_prev_out)
    return grads_w, grads_b


{optimizer_code}


def full_loss():
    Z, _ = forward(X)
    return loss_and_grad(Z, Y)[0] + L2 / 2 * sum(np.sum(w * w) for w in W)


rng = np.random.default_rng(np.random.SeedSequence({seed}).spawn(4)[3])  # nnviz's batch order
order, cursor = None, len(X)
for t in range(1, STEPS + 1):
    if cursor >= len(X):  # a full batch needs no shuffle: its order cannot matter
        order = rng.permutation(len(X)) if BATCH_SIZE < len(X) else np.arange(len(X))
        cursor = 0
    batch = order[cursor : cursor + BATCH_SIZE]
    cursor += len(batch)
    Z, cache = forward(X[batch])
    loss, dZ = loss_and_grad(Z, Y[batch])
    grads_w, grads_b = backward(dZ, cache)
    update(W + B, grads_w + grads_b, t)
    if t % max(1, STEPS // 10) == 0:
        print(f"step {{t:6d}}  loss {{full_loss():.6f}}")
print(f"final_loss={{full_loss():.6f}}")
'''

KERAS = '''"""nnviz export — {title}, as Keras code (pip install keras tensorflow)."""

import numpy as np
import keras
from keras import layers, regularizers

X = np.array({x})  # network inputs{input_note}
Y = np.array({y})

model = keras.Sequential(
    [
        keras.Input(shape=({n_inputs},)),
{layers}
    ]
)
model.compile(
    optimizer=keras.optimizers.{optimizer},
    loss="{loss}",{metrics}
)
model.fit(X, Y, batch_size={batch_size}, epochs={epochs}, shuffle=True)
'''

KERAS_OPTIMIZERS = {
    "sgd": "SGD(learning_rate={learning_rate!r})",
    "momentum": "SGD(learning_rate={learning_rate!r}, momentum={momentum!r}, nesterov={nesterov})",
    "rmsprop": "RMSprop(learning_rate={learning_rate!r}, rho={rho!r}, epsilon={epsilon!r})",
    "adam": "Adam(learning_rate={learning_rate!r}, beta_1={beta_1!r}, beta_2={beta_2!r}, "
    "epsilon={epsilon!r})",
}


def numpy_script(config: RunConfig, steps: int, dataset: Dataset | None = None) -> str:
    """A runnable NumPy script that trains `config`'s network for `steps` steps from the same
    initial weights, data and batch order; its last line prints `final_loss=…`."""
    trainer, data = build_trainer(config, dataset)
    model, optimizer = trainer.model, trainer.optimizer
    dense = model.dense_layers
    names = sorted(set(config.activations))
    return SCRIPT.format(
        title=_title(config),
        model=repr(model),
        loss=repr(trainer.loss),
        optimizer=repr(optimizer),
        batch_size=trainer.batch_size,
        steps=int(steps),
        x=_literal(data.train_inputs.x),
        y=_literal(data.train_inputs.y),
        input_note=_input_note(config),
        weights=_literal([d.weights.value for d in dense]),
        biases=_literal([d.bias.value for d in dense]),
        activations=list(config.activations),
        learning_rate=optimizer.learning_rate,
        l2=trainer.l2,
        g=", ".join(f'"{n}": {ACTIVATION_CODE[n][0]}' for n in names),
        g_prime=", ".join(f'"{n}": {ACTIVATION_CODE[n][1]}' for n in names),
        loss_code=LOSS_CODE[_loss_key(trainer)],
        optimizer_code=OPTIMIZER_CODE[optimizer.name].format(**_optimizer_settings(optimizer)),
        seed=config.seed,
    )


def keras_script(config: RunConfig, epochs: int, dataset: Dataset | None = None) -> str:
    """The same network and training setup as Keras code (Sequential, Dense, compile, fit)."""
    trainer, data = build_trainer(config, dataset)
    model = trainer.model
    regularizer = f", kernel_regularizer=regularizers.L2({config.l2 / 2!r})" if config.l2 else ""
    lines = []
    for units, activation in zip(config.hidden, config.activations, strict=True):
        lines.append(f'        layers.Dense({units}, activation="{activation}"{regularizer}),')
        if config.dropout:
            lines.append(f"        layers.Dropout({config.dropout!r}),")
    output = f'layers.Dense({model.sizes[-1]}, activation="{model.output}"{regularizer}),'
    lines.append(" " * 8 + output)
    optimizer = trainer.optimizer
    settings = {"learning_rate": optimizer.learning_rate, **_optimizer_settings(optimizer)}
    return KERAS.format(
        title=_title(config),
        x=_literal(data.train_inputs.x),
        y=_literal(data.train_inputs.y),
        input_note=_input_note(config),
        n_inputs=model.sizes[0],
        layers="\n".join(lines),
        optimizer=KERAS_OPTIMIZERS[optimizer.name].format(**settings),
        loss=_keras_loss(trainer, model),
        metrics="" if model.output == "linear" else '\n    metrics=["accuracy"],',
        batch_size=trainer.batch_size,
        epochs=int(epochs),
    )


def _title(config: RunConfig) -> str:
    return f"{config.dataset}, hidden layers {list(config.hidden) or 'none'}, seed {config.seed}"


def _input_note(config: RunConfig) -> str:
    note = f": features {', '.join(config.features)}"
    return note + (", standardized" if config.standardize else "")


def _loss_key(trainer: Trainer) -> str:
    loss = trainer.loss
    return f"mse/{loss.link}" if loss.name == "mse" else loss.name


def _keras_loss(trainer: Trainer, model: Sequential) -> str:
    key = _loss_key(trainer)
    if key.startswith("mse"):
        return "mse"
    return "binary_crossentropy" if model.output == "sigmoid" else "sparse_categorical_crossentropy"


def _optimizer_settings(optimizer) -> dict:
    settings = {
        k: getattr(optimizer, k)
        for k in ("momentum", "nesterov", "rho", "epsilon", "beta_1", "beta_2")
        if hasattr(optimizer, k)
    }
    if "momentum" in settings:  # the Keras update: w += v, or w += μ·v - α·g with Nesterov
        nesterov = f"{settings['momentum']} * v - LEARNING_RATE * g"
        settings["step"] = nesterov if settings["nesterov"] else "v"
    return settings


def _literal(value) -> str:
    """A Python literal that reads back to the same float64 numbers (repr is exact)."""
    if isinstance(value, list):
        return "[" + ", ".join(_literal(v) for v in value) + "]"
    return repr(np.asarray(value).tolist())
