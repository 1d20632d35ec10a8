"""One training step as the equations a textbook writes, each filled with the step's numbers.

`trace_step` (core) keeps every array of a step; this module arranges them into equations:
`Equation(latex, terms, operators)` reads "term₀ op₀ term₁ op₁ … ", e.g.

    Z⁽¹⁾ = A⁽⁰⁾ W⁽¹⁾ + b⁽¹⁾      →  terms (A⁽⁰⁾, W⁽¹⁾, b⁽¹⁾, Z⁽¹⁾), operators ("·", "+", "=")

Rows are samples (`A (m, units)`, `W (in, out)`), so nnviz writes `A W + b` where the seeds'
column convention writes `W A + b`: every matrix is the other's transpose, the numbers agree.
The 1/m of the mean loss sits inside the output layer's dZ, so `dW = A⁽ˡ⁻¹⁾ᵀ dZ` has no 1/m of
its own (the seeds keep `dZ = A - Y` and write `dW = (1/m) dZ Aᵀ`: the same numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core import Loss, Sequential, get_activation
from nnviz.core.losses import targets_like
from nnviz.core.trace import LayerTrace, StepTrace
from nnviz.playground import RunConfig

SUP = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
DEFAULT_NETWORK = RunConfig(
    dataset="xor_table", hidden=(3,), activations=("sigmoid",), learning_rate=1.0, batch_size=4
)
"""The math page's own network: XOR's four points, three sigmoid units, full-batch SGD."""


@dataclass(frozen=True)
class Term:
    """One matrix of an equation. Terms with the same `key` are the same quantity (the
    pictures give them one colour, wherever they appear); `flow` says where it goes next."""

    symbol: str
    values: np.ndarray
    key: str | None = None
    flow: str = ""


@dataclass(frozen=True)
class Equation:
    latex: str
    terms: tuple[Term, ...]
    operators: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class LossMath:
    loss: str  # LaTeX of L
    grad: str  # LaTeX of the output layer's dZ
    words: str


LOSS_MATH = {
    "binary_crossentropy": LossMath(
        r"L = -\frac{1}{m}\sum_{i=1}^{m}\Big[\,y_i \log a_i + (1-y_i)\log(1-a_i)\Big],"
        r"\qquad a_i = \sigma(z_i)",
        r"dZ^{(L)} = \frac{\partial L}{\partial Z^{(L)}} = \frac{1}{m}\,\big(A^{(L)} - Y\big)",
        "Sigmoid and cross-entropy together give the simplest gradient there is: "
        "prediction minus target.",
    ),
    "categorical_crossentropy": LossMath(
        r"L = -\frac{1}{m}\sum_{i=1}^{m} \log a_{i,\,y_i},"
        r"\qquad A = \mathrm{softmax}(Z^{(L)})",
        r"dZ^{(L)} = \frac{1}{m}\,\big(A^{(L)} - Y\big),\qquad Y \text{ one-hot}",
        "Softmax and cross-entropy together: predicted probabilities minus the one-hot target.",
    ),
    "mse/identity": LossMath(
        r"L = \frac{1}{m}\sum_{i=1}^{m}\sum_k \big(z_{ik} - y_{ik}\big)^2",
        r"dZ^{(L)} = \frac{2}{m}\,\big(Z^{(L)} - Y\big)",
        "Squared error on the raw outputs (regression).",
    ),
    "mse/sigmoid": LossMath(
        r"L = \frac{1}{m}\sum_{i=1}^{m} \big(a_i - y_i\big)^2,\qquad a_i = \sigma(z_i)",
        r"dZ^{(L)} = \frac{2}{m}\,\big(A^{(L)} - Y\big) \odot A^{(L)} \odot \big(1 - A^{(L)}\big)",
        "Squared error on the probabilities: the factor σ'(Z) = A(1 − A) is tiny when the "
        "sigmoid saturates — one reason cross-entropy learns faster.",
    ),
    "mse/softmax": LossMath(
        r"L = \frac{1}{m}\sum_{i=1}^{m}\sum_k \big(a_{ik} - y_{ik}\big)^2,"
        r"\qquad A = \mathrm{softmax}(Z^{(L)})",
        r"dZ^{(L)} = A \odot \big(G - (G \odot A)\,\mathbf{1}\mathbf{1}^{\top}\big),"
        r"\quad G = \frac{2}{m}\,(A^{(L)} - Y)",
        "Squared error on softmax probabilities, carried back through the softmax.",
    ),
}

UPDATE_MATH = {
    "sgd": r"W \leftarrow W - \alpha\, dW \qquad b \leftarrow b - \alpha\, db",
    "momentum": r"v \leftarrow \mu v - \alpha\, dW \qquad W \leftarrow W + v",
    "rmsprop": r"s \leftarrow \rho s + (1-\rho)\, dW^2 \qquad "
    r"W \leftarrow W - \alpha\, \frac{dW}{\sqrt{s} + \epsilon}",
    "adam": r"m \leftarrow \beta_1 m + (1-\beta_1)\, dW,\;\; v \leftarrow \beta_2 v + (1-\beta_2)\,"
    r"dW^2 \qquad W \leftarrow W - \alpha\,\frac{\hat m}{\sqrt{\hat v} + \epsilon}",
}


def sup(layer: int | str) -> str:
    """The layer superscript: sup(2) == "⁽²⁾"."""
    return f"⁽{str(layer).translate(SUP)}⁾"


def loss_key(loss: Loss) -> str:
    """ "binary_crossentropy", "categorical_crossentropy" or "mse/<link>"."""
    return f"mse/{loss.link}" if loss.name == "mse" else loss.name


def activation_derivative(name: str, z: np.ndarray) -> np.ndarray:
    """g'(Z), element-wise, from the activation layer's own backward pass."""
    g = get_activation(name)
    g.forward(z)
    return g.backward(np.ones_like(z))


def sample_losses(loss: Loss, y: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """The loss of each sample `(m, 1)`; their mean is the batch loss (without L2)."""
    return np.array([[loss(y[i : i + 1], logits[i : i + 1])] for i in range(len(logits))])


def forward_equation(layer: LayerTrace, last: bool) -> Equation:
    """Z⁽ˡ⁾ = A⁽ˡ⁻¹⁾W⁽ˡ⁾ + b⁽ˡ⁾ and A⁽ˡ⁾ = g(Z⁽ˡ⁾) for one layer."""
    n, g = layer.index, layer.activation
    a_prev = Term(f"A{sup(n - 1)}" + (" = X" if n == 1 else ""), layer.a_prev, f"A{n - 1}")
    link = {"sigmoid": r"\sigma", "softmax": r"\mathrm{softmax}", "linear": ""}
    name = link.get(g, r"\mathrm{" + g.replace("_", r"\_") + "}")
    a_latex = f"A^{{({n})}} = {name}(Z^{{({n})}})" if name else f"A^{{({n})}} = Z^{{({n})}}"
    flow = "→ the loss" if last else f"→ input of layer {n + 1}"
    return Equation(
        rf"Z^{{({n})}} = A^{{({n - 1})}}\, W^{{({n})}} + b^{{({n})}} \qquad {a_latex}",
        (
            a_prev,
            Term(f"W{sup(n)}", layer.weights),
            Term(f"b{sup(n)}", layer.bias.reshape(1, -1), flow="added to every row"),
            Term(f"Z{sup(n)}", layer.z, f"Z{n}", "kept for backprop"),
            Term(("Ŷ = " if last else "") + f"A{sup(n)}", layer.a, f"A{n}", flow),
        ),
        ("·", "+", "=", f"{g} →" if g != "linear" else "same →"),
    )


def loss_equation(trace: StepTrace, loss: Loss) -> Equation:
    """The predictions next to the targets, and the loss each sample contributes."""
    out = trace.layers[-1]
    y = targets_like(trace.y, out.z)
    per_sample = sample_losses(loss, trace.y, out.z)
    n = out.index
    return Equation(
        LOSS_MATH[loss_key(loss)].loss,
        (
            Term(f"Ŷ = A{sup(n)}", out.a, f"A{n}"),
            Term("Y (targets)", y),
            Term("loss of each sample", per_sample, flow="their mean is L"),
        ),
        ("vs", "→"),
    )


def output_gradient_equation(trace: StepTrace, loss: Loss) -> Equation:
    """dZ⁽ᴸ⁾ straight from the loss: where backpropagation starts."""
    out = trace.layers[-1]
    n, m = out.index, len(out.z)
    key = loss_key(loss)
    note = (
        f"The 1/m (here 1/{m}) of the mean loss is already inside this dZ, so dW below has no "
        "1/m of its own. Textbooks that keep dZ = A − Y write dW = (1/m)·A⁽ˡ⁻¹⁾ᵀdZ instead: "
        "the same numbers."
    )
    return Equation(
        LOSS_MATH[key].grad,
        (
            Term(f"A{sup(n)}", out.a, f"A{n}"),
            Term("Y", targets_like(trace.y, out.z)),
            Term(f"dZ{sup(n)}", out.grad_z, f"dZ{n}", "→ dW, db, dA"),
        ),
        ("−", "⇒"),
        note,
    )


def backward_equations(layer: LayerTrace, l2: float = 0.0) -> list[Equation]:
    """dW⁽ˡ⁾, db⁽ˡ⁾ and (below the first layer) dA⁽ˡ⁻¹⁾, the gradient handed downwards."""
    n = layer.index
    dz = Term(f"dZ{sup(n)}", layer.grad_z, f"dZ{n}")
    a_prev_t = Term(f"A{sup(n - 1)}ᵀ", layer.a_prev.T, f"A{n - 1}")
    dw = Term(f"dW{sup(n)}", layer.grad_weights, f"dW{n}", "→ the update")
    penalty = rf" + \lambda W^{{({n})}}" if l2 else ""
    if l2:
        terms = (a_prev_t, dz, Term(f"λW{sup(n)}", l2 * layer.weights), dw)
        weights = Equation(
            rf"dW^{{({n})}} = A^{{({n - 1})\top}}\, dZ^{{({n})}}{penalty}",
            terms,
            ("·", "+", "="),
            f"λ = {l2:g}: the L2 penalty (λ/2)·ΣW² adds λW to every weight's gradient.",
        )
    else:
        weights = Equation(
            rf"dW^{{({n})}} = A^{{({n - 1})\top}}\, dZ^{{({n})}}", (a_prev_t, dz, dw), ("·", "=")
        )
    equations = [
        weights,
        Equation(
            rf"db^{{({n})}} = \sum_{{\text{{rows}}}} dZ^{{({n})}}",
            (dz, Term(f"db{sup(n)}", layer.grad_bias.reshape(1, -1), f"db{n}", "→ the update")),
            ("sum of rows →",),
        ),
    ]
    if layer.grad_a_prev is not None:
        da = Term(f"dA{sup(n - 1)}", layer.grad_a_prev, f"dA{n - 1}", f"→ dZ{sup(n - 1)}")
        equations.append(
            Equation(
                rf"dA^{{({n - 1})}} = dZ^{{({n})}}\, W^{{({n})\top}}",
                (dz, Term(f"W{sup(n)}ᵀ", layer.weights.T), da),
                ("·", "="),
            )
        )
    return equations


def hidden_gradient_equation(layer: LayerTrace) -> Equation:
    """dZ⁽ˡ⁾ = dA⁽ˡ⁾ ⊙ g'(Z⁽ˡ⁾) for a hidden layer."""
    n, g = layer.index, layer.activation
    slope = activation_derivative(g, layer.z)
    return Equation(
        rf"dZ^{{({n})}} = dA^{{({n})}} \odot g'\big(Z^{{({n})}}\big), \qquad g = \mathrm{{"
        + g.replace("_", r"\_")
        + "}",
        (
            Term(f"dA{sup(n)}", layer.grad_a, f"dA{n}"),
            Term(f"{g}′(Z{sup(n)})", slope, f"Z{n}"),
            Term(f"dZ{sup(n)}", layer.grad_z, f"dZ{n}", "→ dW, db, dA"),
        ),
        ("⊙", "="),
    )


def update_equations(layer: LayerTrace, optimizer: str, learning_rate: float) -> list[Equation]:
    """W ← W − α·dW and b ← b − α·db (plain SGD), or the step another optimizer took."""
    n = layer.index
    pairs = (
        ("W", layer.weights, layer.grad_weights, layer.new_weights),
        ("b", layer.bias.reshape(1, -1), layer.grad_bias.reshape(1, -1), layer.new_bias),
    )
    equations = []
    for name, old, grad, new in pairs:
        new = new.reshape(old.shape)
        if optimizer == "sgd":
            equations.append(
                Equation(
                    rf"{name}^{{({n})}} \leftarrow {name}^{{({n})}} - \alpha\, d{name}^{{({n})}},"
                    rf"\qquad \alpha = {learning_rate:g}",
                    (
                        Term(f"{name}{sup(n)}", old),
                        Term(f"d{name}{sup(n)}", grad, f"d{name}{n}"),
                        Term(f"new {name}{sup(n)}", new, flow="→ the next step"),
                    ),
                    (f"− {learning_rate:g} ×", "="),
                )
            )
        else:
            equations.append(
                Equation(
                    rf"{name}^{{({n})}} \leftarrow {name}^{{({n})}} + \Delta {name}^{{({n})}}",
                    (
                        Term(f"{name}{sup(n)}", old),
                        Term(f"Δ{name}{sup(n)} ({optimizer}'s step)", new - old),
                        Term(f"new {name}{sup(n)}", new, flow="→ the next step"),
                    ),
                    ("+", "="),
                    f"{optimizer} does not step by −α·d{name}: it rescales each weight's step "
                    "from the history of its gradients, so the step is shown as it was taken.",
                )
            )
    return equations


def batch_loss(model: Sequential, loss: Loss, x: np.ndarray, y: np.ndarray) -> float:
    """The loss of one batch under the model's current weights (no update, no dropout)."""
    return loss(y, model.forward(x))
