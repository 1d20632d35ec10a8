"""Tampered links: every bad value is named, as plain text, and ignored; the session works."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnviz.playground import RANGES, RunConfig, parse_query


def toasts(at) -> list[str]:
    return [t.value for t in at.toast]


@pytest.mark.parametrize(
    "query, name",
    [
        ({"dropout": "0.9"}, "dropout"),
        ({"seed": "10000000"}, "seed"),
        ({"stop_epochs": "10000000"}, "stop\\_epochs"),
        ({"stop_loss": "1000000"}, "stop\\_loss"),
        ({"n_samples": "5"}, "n\\_samples"),
        ({"learning_rate": "nan"}, "learning\\_rate"),
    ],
)
def test_an_out_of_range_value_is_named_and_the_page_works(open_page, query, name):
    at = open_page("pages/playground.py", query)
    assert not at.exception
    assert any(name in t for t in toasts(at)), toasts(at)
    at.switch_page("pages/home.py").run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception
    at.button(key="pg.step").click().run()
    assert not at.exception and at.session_state["pg:run"].steps == 1


def test_a_link_cannot_put_markdown_in_the_notice(open_page):
    at = open_page("pages/playground.py", {"[Click here](https://evil.example/)": "1"})
    (text,) = toasts(at)
    assert "\\[Click here\\]\\(https\\://evil.example/\\)" in text


def test_the_classroom_ignores_a_bad_playground_setting_too(open_page):
    at = open_page("pages/classroom.py", {"dropout": "0.9"})
    assert not at.exception


@pytest.mark.parametrize(
    "widget, name", [("pg.dropout", "dropout"), ("pg.seed", "seed"), ("pg.n_samples", "n_samples")]
)
def test_a_widget_offers_exactly_its_settings_range(open_page, widget, name):
    low, high = RANGES[name]
    at = open_page("pages/playground.py", {name: str(high)})  # the largest valid value
    assert not at.exception and not at.toast
    proto = at.get("slider" if name != "seed" else "number_input")
    (element,) = [e for e in proto if e.key == widget]
    assert (element.proto.min, element.proto.max) == (low, high)
    with pytest.raises(ValueError, match=name):
        RunConfig(**{name: high * 2 + 1})


queries = st.dictionaries(
    st.sampled_from([*RANGES, "dataset", "hidden", "activations", "features", "hide", "x"])
    | st.text(max_size=20),
    st.text(max_size=30) | st.sampled_from(["1e309", "-0", "nan", "inf", "1,2,3", "", "0.9"]),
    max_size=6,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries)
def test_any_query_gives_a_valid_config_and_names_what_it_ignored(params):
    config, ignored = parse_query(params)
    assert isinstance(config, RunConfig)
    assert set(ignored) <= set(params)
    assert set(config.to_query()) <= set(params) - set(ignored)
