"""Home-page cards, one per page in `PAGES`: thumbnail, the question it answers, a link."""

from __future__ import annotations

import streamlit as st

from nnviz.ui.app import PAGES, PageInfo


def page_cards(columns: int = 3) -> None:
    """A grid of cards for every page except the default (Home) one."""
    pages = [p for p in PAGES if not p.default]
    for start in range(0, len(pages), columns):
        for column, page in zip(st.columns(columns), pages[start : start + columns]):  # noqa: B905
            with column:
                _card(page)


def _card(page: PageInfo) -> None:
    with st.container(border=True):
        if page.thumbnail_path is not None:
            st.image(str(page.thumbnail_path), width="stretch")
        st.subheader(page.title, anchor=False)
        st.markdown(f"**{page.question}**")
        st.caption(page.summary)
        st.page_link(page.path, label=f"Open {page.title}", icon=":material/arrow_forward:")
