"""Every registered page renders through the real router without an exception."""

from __future__ import annotations

import pytest

from nnviz.ui import PAGES


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.title)
def test_every_page_renders(open_page, page):
    at = open_page(page.path)
    assert not at.exception


def test_home_has_a_card_for_every_other_page(open_page):
    at = open_page("pages/home.py")
    cards = [link.proto.page for link in at.get("page_link")]
    others = [p for p in PAGES if not p.default]
    assert len(cards) == len(others)
    text = " ".join(m.value for m in at.markdown)
    for page in others:
        assert page.question in text
