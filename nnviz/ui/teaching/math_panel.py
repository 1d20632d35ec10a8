"""The math page's display: one traced step as equations (st.latex) over their real numbers.

Tabs follow the step in order — forward pass, loss, backward pass, update — and a fifth one
checks backprop against finite differences. Only the open tab is drawn.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from nnviz.core.trace import StepTrace
from nnviz.playground import Run
from nnviz.teaching import step_check as sc
from nnviz.teaching import step_math as sm
from nnviz.ui.teaching.state import INSPECTED, Inspection
from nnviz.ui.teaching.state import MATH as K
from nnviz.ui.widgets import guarded
from nnviz.viz import network_figure, theme
from nnviz.viz.matrices import equation_figure, gradient_check_figure

TABS = (
    ":material/arrow_forward: 1 · Forward pass",
    ":material/functions: 2 · Loss",
    ":material/arrow_back: 3 · Backward pass",
    ":material/update: 4 · Update",
    ":material/fact_check: Check the gradients",
)
CONVENTION = (
    "**Rows are samples.** nnviz keeps a batch of m samples as a matrix A with one row per "
    "sample (m × units) and a layer's weights as W (inputs × outputs), so a layer computes "
    "**Z = A W + b**. Many courses and the classic NumPy tutorials put samples in columns and "
    "write Z = W A + b. Each matrix here is the transpose of theirs; the numbers are the same."
)


@guarded("the step", K)
def step_status(run: Run) -> Inspection | None:
    """Counters of the inspected step; None (with a prompt) until Step has been pressed."""
    inspection = INSPECTED.get()
    if inspection is None or inspection.run is not run:
        st.info(
            f"The network is at step {run.steps}. Press **Step** to take step {run.steps + 1}: "
            "one forward pass, one backward pass, one update — with every number shown.",
            icon=":material/skip_next:",
        )
        return None
    trace = inspection.trace
    m = len(trace.y)
    cells = st.columns([0.6, 0.8, 1.4, 0.9])
    cells[0].metric("Step", f"{trace.step:,}")
    cells[1].metric("Batch size m", f"{m}", help="How many samples this step learned from.")
    cells[2].metric(
        "Batch loss after the update",
        f"{inspection.loss_after:.5f}",
        delta=f"{inspection.loss_after - trace.loss:+.1e}",
        delta_color="inverse",
        help=f"The same batch had loss {trace.loss:.5f} before this step's update: the change "
        "is one step downhill (or, with too large a step, uphill).",
    )
    cells[3].metric("Learning rate α", f"{trace.learning_rate:g}")
    if run.steps != trace.step:
        st.caption(f"The run has moved on to step {run.steps:,} since; press Step for the next.")
    return inspection


@guarded("the network picture", K)
def network_view(run: Run) -> None:
    """The network as it stands now (weights as links, biases as node fills)."""
    model = run.trainer.model
    dense = model.dense_layers
    figure = network_figure(
        [d.weights.value for d in dense], [d.bias.value for d in dense], run.config.features, 250
    )
    st.plotly_chart(figure, key=K("network"), config=theme.PLOTLY_CONFIG)


@guarded("the step's numbers", K)
def step_view(run: Run, inspection: Inspection) -> None:
    st.info(CONVENTION, icon=":material/swap_horiz:")
    tabs = st.tabs(TABS, key=K("tab"), on_change="rerun")
    trace = inspection.trace
    views = (_forward, _loss, _backward, _update, _check)
    for tab, view in zip(tabs, views, strict=True):
        if tab.open:
            with tab:
                view(run, trace, inspection)


def _equation(equation: sm.Equation, key: str) -> None:
    st.latex(equation.latex)
    figure = equation_figure(equation.terms, equation.operators)
    st.plotly_chart(figure, key=K("fig.") + key, config=theme.PLOTLY_CONFIG)
    if equation.note:
        st.caption(equation.note)


def _layer_title(layer, text: str) -> None:
    rows, cols = layer.weights.shape
    units = f"{rows} → {cols} unit" + ("s" if cols > 1 else "")
    st.markdown(f"##### Layer {layer.index} · {units} · {text}")


def _forward(run: Run, trace: StepTrace, _) -> None:
    st.caption(
        "Each layer multiplies its input by its weights, adds its bias, and bends the result "
        "with its activation g. One row per sample of this step's batch, in the shuffled order "
        "the trainer drew them. The coloured frames follow each output to where it is used next."
    )
    for i, layer in enumerate(trace.layers):
        last = i == len(trace.layers) - 1
        _layer_title(layer, f"output, {layer.activation}" if last else layer.activation)
        _equation(sm.forward_equation(layer, last), f"fwd.{i}")
    if run.config.dropout:
        st.caption(
            f"Dropout {run.config.dropout:g} is on: the next layer's input is A with some units "
            "zeroed at random and the others scaled up, so it differs from A above."
        )


def _loss(run: Run, trace: StepTrace, _) -> None:
    loss = run.trainer.loss
    _equation(sm.loss_equation(trace, loss), "loss")
    st.caption(sm.LOSS_MATH[sm.loss_key(loss)].words)
    penalty = run.trainer.l2 and f" (with the L2 penalty (λ/2)·ΣW², λ = {run.trainer.l2:g})"
    st.metric(f"L, the loss of this batch{penalty or ''}", f"{trace.loss:.6f}")


def _backward(run: Run, trace: StepTrace, _) -> None:
    st.caption(
        "Backpropagation walks the layers backwards. Each layer turns the dZ it receives into "
        "dW and db (its own update) and into dA, the gradient handed to the layer below. "
        "d□ means ∂L/∂□, the same shape as □."
    )
    if run.config.dropout:
        st.caption(
            "Dropout is on: the dA a layer hands down passes through the dropout mask before "
            "it reaches the activation, so the two dA of a layer differ in the dropped units."
        )
    st.markdown("##### Where it starts: the loss's gradient")
    _equation(sm.output_gradient_equation(trace, run.trainer.loss), "grad.out")
    for layer in reversed(trace.layers):
        _layer_title(layer, "backward")
        if layer.grad_a is not None:
            _equation(sm.hidden_gradient_equation(layer), f"grad.dz.{layer.index}")
        for j, equation in enumerate(sm.backward_equations(layer, run.trainer.l2)):
            _equation(equation, f"grad.{layer.index}.{j}")


def _update(run: Run, trace: StepTrace, _) -> None:
    optimizer = run.trainer.optimizer.name
    st.latex(sm.UPDATE_MATH.get(optimizer, sm.UPDATE_MATH["sgd"]))
    st.caption("The new weights are where the next step starts.")
    for layer in trace.layers:
        _layer_title(layer, "update")
        for j, equation in enumerate(sm.update_equations(layer, optimizer, trace.learning_rate)):
            _equation(equation, f"upd.{layer.index}.{j}")


def _check(run: Run, trace: StepTrace, inspection: Inspection) -> None:
    st.latex(
        r"\frac{\partial L}{\partial \theta_i} \approx "
        r"\frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon e_i)}{2\varepsilon},"
        r"\qquad \varepsilon = 10^{-6}"
    )
    st.caption(
        "Nudge one weight up and down, watch the loss: that slope should equal backprop's "
        "gradient. Checked on this step's batch and starting weights, without the L2 term "
        "and without dropout."
    )
    model = run.trainer.model
    work = sc.check_work(model, trace)
    if work > sc.MAX_CHECK_WORK:
        st.info(
            f"This network has {model.n_parameters:,} weights and the batch {len(trace.y)} "
            "samples: too many to nudge one by one here. Gradient checks are for small networks "
            "— use this page's own network.",
            icon=":material/info:",
        )
        return
    if inspection.check_rows is None:
        try:
            inspection.check_rows = sc.check_rows(sc.check_step(model, run.trainer.loss, trace))
        except ValueError as err:
            st.warning(str(err))
            return
    rows = inspection.check_rows
    worst = max(r["relative error"] for r in rows)
    disagree = sum(r["verdict"] == "DISAGREE" for r in rows)
    left, right = st.columns(2)
    left.metric("Largest relative error", f"{worst:.1e}")
    right.metric("Weights checked", f"{len(rows)}", help="Every weight and bias of the network.")
    if disagree:
        st.error(f"{disagree} gradients disagree with finite differences.")
    elif worst < sc.AGREE:
        st.success(f"Backprop is right: every relative error is below {sc.AGREE:.0e}.")
    else:
        st.info(
            "Every gradient agrees within what finite differences can resolve. Some are so "
            "close to 0 (the network is stalled) that rounding dominates their relative error.",
        )
    st.plotly_chart(
        gradient_check_figure(rows, sc.AGREE), key=K("check"), config=theme.PLOTLY_CONFIG
    )
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key=K("check_table"),
        column_config={
            name: st.column_config.NumberColumn(format="%.3e")
            for name in ("backprop", "finite differences", "difference", "relative error")
        },
    )
