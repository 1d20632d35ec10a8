"""A page never shows a traceback: an unexpected error stays in its panel, with a way back."""

from __future__ import annotations

from tests.app.conftest import live_charts


def boom(*args, **kwargs):
    raise RuntimeError("/srv/secret/path.py exploded")


def test_a_failing_live_view_pauses_says_so_and_resets(open_page, monkeypatch):
    at = open_page("pages/playground.py")
    monkeypatch.setattr("nnviz.ui.playground.panel.playground_figures", boom)
    at.button(key="pg.play").click().run()
    assert not at.exception
    assert any("the live view" in e.value and "RuntimeError" in e.value for e in at.error)
    assert all("/srv/secret" not in e.value for e in at.error)  # no server paths on the page
    assert at.button(key="pg.play").label == "Play"  # paused, not stuck in a failing loop
    assert at.selectbox(key="pg.dataset").value == "circles"  # the sidebar still works
    monkeypatch.undo()
    at.button(key="pg.reset_after.live").click().run()
    assert not at.exception and not at.error
    assert "pg.chart.boundary" in live_charts(at)


def test_a_failing_panel_leaves_the_rest_of_the_page(open_page, monkeypatch):
    monkeypatch.setattr("nnviz.ui.teaching.export.numpy_script", boom)
    at = open_page("pages/playground.py")
    at.session_state["export.open"] = True
    at.run()
    assert not at.exception
    assert any("the export panel" in e.value for e in at.error)
    at.button(key="pg.step").click().run()  # the Playground above it still trains
    assert at.session_state["pg:run"].steps == 1


def test_an_error_escaping_a_page_is_a_message_with_a_reset(open_page, monkeypatch):
    at = open_page("pages/home.py")
    monkeypatch.setattr("nnviz.ui.cards._card", boom)  # the Home cards have no guard of their own
    at.run()
    assert not at.exception
    assert any("this page" in e.value for e in at.error)
    monkeypatch.undo()
    at.button(key="app.reset_after_error").click().run()
    assert not at.exception and not at.error
