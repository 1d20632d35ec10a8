"""The Train on MNIST and Draw a digit pages under AppTest, through the real router."""

from __future__ import annotations

import base64
import io
import json

import numpy as np
import pytest
from PIL import Image

from nnviz.core import build_mlp, model_bytes
from nnviz.datasets import render_strokes
from nnviz.digits.predict import classify_drawing
from tests.app.conftest import live_charts

TRAIN, DRAW = "pages/train_mnist.py", "pages/draw_digit.py"
ONE = {"objects": [{"type": "path", "path": [["M", 140, 40], ["L", 140, 240]], "strokeWidth": 20}]}


@pytest.fixture
def with_mnist(mnist_dir, monkeypatch):
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(mnist_dir))


@pytest.fixture
def without_mnist(tmp_path, monkeypatch):
    """No MNIST anywhere, and any download attempt fails at once (a closed local port)."""
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr("nnviz.datasets.mnist.MNIST_MIRRORS", ("http://127.0.0.1:9/",))


def charts(at) -> dict[str, dict]:
    """Every `st.plotly_chart` on the page, as plotly JSON, by widget key."""
    out = {}
    for element in at.get("plotly_chart"):
        key = element.proto.id.rsplit("-", 1)[-1]  # "$$ID-<hash>-dr.stages"
        out[key.split(".", 1)[-1]] = json.loads(element.proto.spec)
    return out


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    kinds = ("markdown", "caption", "info", "error", "success")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def draw(at, drawing: dict) -> None:
    """What the canvas sends when the pen lifts: its strokes (and no bitmap, in a test)."""
    clears = at.session_state["dr:clears"] if "dr.clears" in at.session_state else 0  # noqa: SIM401
    value = {"drawing": {"raw": drawing, "data": None}, "backgroundFit": None}
    at.session_state[f"dr.canvas.{clears}"] = value
    at.run()


def open_tab(at, key: str, starts: str) -> None:
    """Click the tab whose label starts with `starts` (only the open tab is drawn)."""
    label = next(t.label for t in at.tabs if t.label.split(": ")[-1].startswith(starts))
    at.session_state[key] = label
    at.run()


def train_until_done(at, limit: int = 40) -> None:
    for _ in range(limit):
        if at.session_state["tr:run"].finished:
            return
        at.run()
    raise AssertionError("training did not finish")


def test_training_one_epoch_on_1000_images_updates_curves_and_confusion(open_page, with_mnist):
    at = open_page(TRAIN)
    assert "Train" in [b.label for b in at.button]
    at.select_slider(key="tr.size").set_value(1000)
    at.number_input(key="tr.epochs").set_value(1)
    at.run()
    at.button(key="tr.train").click().run()
    train_until_done(at)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    shown = metrics(at)
    assert shown["Step"] == "8" and shown["Epoch"] == "1 / 1"
    assert shown["Test accuracy"].endswith("%")
    figures = charts(at)
    loss, _, accuracy = live_charts(at)["tr.curves"]["data"]
    assert len(_values(loss["y"])) == 8 and len(_values(accuracy["y"])) == 1
    assert "weights" in figures  # the first tab
    open_tab(at, "tr.learned", "Confusion")
    counts = _values(charts(at)["confusion"]["data"][0]["customdata"])[..., 0]
    assert counts.shape == (10, 10) and counts.sum() == 10_000
    assert np.trace(counts) == round(at.session_state["tr:run"].report.accuracy * 10_000)
    assert "per_class" in charts(at) and "Most often confused" in texts(at)
    open_tab(at, "tr.learned", "Mistakes")
    assert "mistakes" in charts(at) and "test digits wrong" in texts(at)
    run = at.session_state["tr:run"]
    assert float(shown["Test accuracy"].rstrip("%")) == pytest.approx(
        100 * run.report.accuracy, abs=0.01
    )
    # the trained network is this session's model on the Draw page
    assert "trained here" in at.session_state["mnist:model"].title
    at.switch_page(DRAW).run()
    at.radio(key="dr.model").set_value("session").run()
    draw(at, ONE)
    p = run.model.predict_proba(_centred(at))[0]
    assert metrics(at)["The model says"].rstrip("?") == str(int(p.argmax()))


def _values(v) -> np.ndarray:
    """Plotly JSON arrays come as lists or as typed arrays ({"dtype", "bdata", "shape"})."""
    if not isinstance(v, dict):
        return np.asarray(v)
    a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    shape = v.get("shape")
    return a.reshape([int(n) for n in str(shape).split(",")]) if shape else a


def _centred(at) -> np.ndarray:
    """The model's input as the page shows it (the last stage panel), as one row."""
    z = charts(at)["stages"]["data"][3]["z"]
    return np.asarray(_values(z), dtype=np.float32).reshape(1, 28 * 28)


def test_pause_stops_training_and_resume_continues(open_page, with_mnist):
    at = open_page(TRAIN)
    at.select_slider(key="tr.size").set_value(60_000)
    at.number_input(key="tr.epochs").set_value(10)  # thousands of steps: never one tick
    at.run()
    at.button(key="tr.train").click().run()
    steps = at.session_state["tr:run"].steps
    assert 0 < steps < at.session_state["tr:run"].total_steps
    at.button(key="tr.pause").click().run()
    paused = at.session_state["tr:run"].steps
    at.run()
    assert at.session_state["tr:run"].steps == paused  # no tick while paused
    assert "Resume" in [b.label for b in at.button]
    at.button(key="tr.resume").click().run()
    assert at.session_state["tr:run"].steps > paused


def test_without_mnist_the_train_page_says_how_to_provide_it(open_page, without_mnist):
    at = open_page(TRAIN)
    assert "not on this machine" in texts(at)
    assert "NNVIZ_DATA_DIR" in texts(at)
    at.button(key="mnist.download").click().run()
    assert not at.exception
    assert at.error and "NNVIZ_DATA_DIR" in at.error[0].value  # offline: the way by hand


@pytest.fixture
def broken_mnist(mnist_dir, tmp_path, monkeypatch):
    """The four MNIST files, the test images cut short (a download that stopped half way)."""
    folder = tmp_path / "broken"
    folder.mkdir()
    for source in mnist_dir.glob("*.gz"):
        content = source.read_bytes()
        cut = source.name.startswith("t10k-images")
        (folder / source.name).write_bytes(content[: len(content) // 2] if cut else content)
    monkeypatch.setenv("NNVIZ_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.mnist
@pytest.mark.parametrize("page", [TRAIN, "pages/classroom.py?preset=mnist-gd"])
def test_broken_mnist_files_are_named_and_the_page_still_works(open_page, broken_mnist, page):
    path, _, query = page.partition("?")
    at = open_page(path, dict([query.split("=")]) if query else None)
    assert not at.exception
    assert any("cannot be read" in e.value and "t10k-images" in e.value for e in at.error)
    assert "MNIST is not on this machine yet" in texts(at)  # and the way to get it again


@pytest.mark.mnist
def test_a_real_digit_comes_from_the_shipped_sample_when_mnist_is_broken(open_page, broken_mnist):
    at = open_page(DRAW)
    at.button(key="dr.real").click().run()
    assert not at.exception and metrics(at)["The model says"]
    assert "shipped with nnviz" in texts(at)


def test_a_broken_model_upload_is_an_error_and_a_good_one_becomes_the_session_model(open_page):
    at = open_page(TRAIN)
    at.file_uploader(key="tr.upload").upload(
        "model.npz", b"PK\x03\x04 not really", "application/zip"
    )
    at.run()
    assert at.error and "cannot be used" in at.error[0].value
    assert "mnist:model" not in at.session_state  # no session model was made
    toy = build_mlp([2, 3, 1], "tanh")
    at.file_uploader(key="tr.upload").set_value(("toy.npz", model_bytes(toy), "application/zip"))
    at.run()
    assert at.error and "not a digit model" in at.error[0].value
    digits = build_mlp([784, 16, 10], "relu", rng=np.random.default_rng(0))
    at.file_uploader(key="tr.upload").set_value(("mine.npz", model_bytes(digits), "x"))
    at.run()
    assert not at.error and at.success
    assert at.session_state["mnist:model"].model.sizes == [784, 16, 10]


def test_the_draw_page_turns_a_stroke_into_a_prediction(open_page):
    at = open_page(DRAW)
    assert "Draw a digit in the black square" in at.info[0].value  # empty: a hint, no error
    assert not at.error
    draw(at, ONE)
    assert metrics(at)["The model says"] == "1"
    assert {"probabilities", "stages", "saliency", "activations"} <= set(charts(at))
    assert np.allclose(_centred(at), classify_drawing(ONE).image.reshape(1, -1), atol=1e-6)
    at.slider(key="dr.threshold").set_value(1.0).run()
    value = at.metric[0]
    assert value.value == "1?" and "not sure" in value.delta
    at.button(key="dr.clear").click().run()
    assert not at.metric and "Draw a digit" in at.info[0].value


def test_show_me_a_real_digit_works_offline_from_the_shipped_sample(open_page, without_mnist):
    at = open_page(DRAW)
    at.button(key="dr.real").click().run()
    assert not at.exception
    assert "500 MNIST test digits shipped with nnviz" in texts(at)
    label = at.session_state["dr:pick"]
    assert 0 <= label < 500 and metrics(at)["The model says"].rstrip("?").isdigit()


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_upload_predicts_and_bad_files_get_a_clear_message(open_page):
    at = open_page(DRAW)
    ink = render_strokes([np.array([[140.0, 40.0], [140.0, 240.0]])])
    photo = 255 - ink  # dark ink on white paper, as on a scan
    at.file_uploader(key="dr.upload").upload("one.png", _png(photo), "image/png")
    at.run()
    assert metrics(at)["The model says"] == "1"
    cases = {
        ("notes.txt", b"hello"): "not an image nnviz reads",
        ("fake.png", b"not an image"): "not an image nnviz reads",
        ("cut.png", _png(photo)[:60]): "truncated",
        ("huge.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 11_000_000): "too large",
        ("white.png", _png(np.full((64, 64), 255, np.uint8))): "no digit stands out",
        ("black.png", _png(np.zeros((64, 64), np.uint8))): "no digit stands out",
        ("dot.png", _png(np.zeros((1, 1), np.uint8))): "too small",
    }
    for (name, content), message in cases.items():
        at.file_uploader(key="dr.upload").set_value((name, content, "application/octet-stream"))
        at.run()
        assert not at.exception and not at.metric
        assert message in at.error[0].value and name in at.error[0].value


def test_correcting_a_drawing_fine_tunes_a_copy_shown_before_and_after(open_page):
    at = open_page(DRAW)
    draw(at, ONE)
    open_tab(at, "dr.details", "That's wrong")
    at.pills(key="dr.right").set_value(7).run()
    at.button(key="dr.keep").click().run()
    kept = at.session_state["dr:corrections"]
    assert [(c.label, c.predicted) for c in kept] == [(7, 1)]
    at.button(key="dr.tune").click().run()
    assert not at.exception
    tuning = at.session_state["dr:tuning"]
    assert tuning.result.fixed == 1  # the copy now reads this drawing as a 7
    assert at.session_state["dr.model"] == "session"
    assert "fine-tuned on 1 drawing" in at.session_state["mnist:model"].title
    before, after = charts(at)["before_after"]["data"]
    assert before["name"] == "before" and after["name"] == "after"
    assert metrics(at)["The model says"].rstrip("?") == "7"
    at.radio(key="dr.model").set_value("cnn").run()
    assert metrics(at)["The model says"] == "1"  # the shipped model itself is unchanged
    at.button(key="dr.forget").click().run()
    assert at.session_state["dr:corrections"] == [] and at.session_state["dr:tuning"] is None


def test_a_diverging_run_stops_with_a_message(open_page, with_mnist, monkeypatch):
    from nnviz.core import TrainingDiverged
    from nnviz.digits.mnist_run import MnistRun

    def explode(self, seconds):
        raise TrainingDiverged("The loss became nan at step 3: try a smaller learning rate.")

    monkeypatch.setattr(MnistRun, "advance", explode)
    at = open_page(TRAIN)
    at.select_slider(key="tr.size").set_value(1000)
    at.button(key="tr.train").click().run()
    assert not at.exception
    assert "Training diverged" in at.error[0].value and "smaller learning rate" in at.error[0].value
    assert at.session_state["tr:training"] is False
    assert "Start over" in [b.label for b in at.button]
