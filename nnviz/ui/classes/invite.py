"""How a class gets in: the code, the join link and its QR code, and the teacher's private link.

The teacher link carries the key in its address, so the page never shows it while projecting:
the projector view is a page of its own (`?class=CODE&projector=1`, no key) to open on the
screen the room sees.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import streamlit as st

from nnviz.classes import join_link, join_qr_png
from nnviz.ui import player
from nnviz.ui.classes.feedback import STORE_ERRORS, failure, show_flash
from nnviz.ui.classes.state import (
    FLASH,
    LIVE,
    PARAM,
    PROJECTOR_PARAM,
    TEACHER_PARAM,
    K,
    class_store,
)
from nnviz.ui.classes.visit import Visit
from nnviz.ui.widgets import guarded, plain

REFRESH_SECONDS = 3.0
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
QR_PIXELS = 800  # the PNG's width; the page shows it large and a projector scales it cleanly
CSS = """<style>
.st-key-cls_code p {font-size: 3.4rem; font-weight: 700; letter-spacing: .25em;
  font-family: "Source Code Pro", monospace; line-height: 1.1; margin: 0;}
.st-key-cls_projector .st-key-cls_code p {font-size: 7rem; text-align: center;}
</style>"""


def page_address() -> str | None:
    """This page's http(s) address without its query (None when the browser has not said)."""
    url = (st.context.url or "").split("?")[0]
    return url if url.startswith(("http://", "https://")) else None


@guarded("the invitation", K)
def invite_panel(visit: Visit) -> None:
    """The code, the QR code and the join link for the class; the teacher link for the teacher."""
    code, address = visit.code, page_address()
    st.html(CSS)
    just_started = "invite" in FLASH.get()
    show_flash("invite")
    with st.container(border=True, key=K.css("invite")):
        left, right = st.columns([1.5, 1], gap="large")
        with left:
            st.caption("Class code: students type it on the Class page, or scan the QR code")
            with st.container(key=K.css("code")):
                st.markdown(code)
            if address is None:
                st.caption("The join link appears once the browser has told the app its address.")
                return
            link = join_link(address, code)
            st.caption("Join link")
            st.code(link, language=None, wrap_lines=True)
            if urlsplit(address).hostname in LOCAL_HOSTS:
                st.warning(
                    "This address works only on this computer. Open the app by its network "
                    "address (Streamlit prints it as *Network URL*) so the link and the QR "
                    "code work for your students.",
                    icon=":material/wifi_off:",
                )
            projector = f"{address}?{urlencode({PARAM: code, PROJECTOR_PARAM: 1})}"
            st.link_button(
                "Open the projector view",
                projector,
                icon=":material/present_to_all:",
                help="A page with only the code and a large QR code, for the screen the room "
                "sees (it has no teacher key in its address).",
            )
            with st.expander(
                "Your private teacher link", icon=":material/key:", expanded=just_started
            ):
                st.warning(
                    "Anyone with this link can see every drawing and delete the class. Keep it "
                    "to yourself: bookmark it, never project or share it. It is the only way "
                    "back to this page.",
                    icon=":material/lock:",
                )
                teacher = {PARAM: code, TEACHER_PARAM: visit.teacher.key}
                st.code(f"{address}?{urlencode(teacher)}", language=None, wrap_lines=True)
        with right:
            _qr(link, 380)


def _qr(link: str, width: int | str) -> None:
    try:
        png = join_qr_png(link, min_pixels=QR_PIXELS)
    except STORE_ERRORS as err:
        st.error(failure(err))
        return
    st.image(png, width=width, caption="Scan to join")


@guarded("the projector view", K)
def projector_view(visit: Visit) -> None:
    """The code and the QR code, as large as the screen allows, and who has joined so far."""
    code, address = visit.code, page_address()
    st.html(CSS)
    with st.container(key=K.css("projector")):
        st.markdown("### Join the class", text_alignment="center")
        with st.container(key=K.css("code")):
            st.markdown(code)
        if address is not None:
            link = join_link(address, code)
            _, middle, _ = st.columns([1, 2, 1])
            with middle:
                _qr(link, "stretch")
                st.markdown(f"`{link}`", text_alignment="center")
        player.refresh(LIVE, REFRESH_SECONDS, lambda: _joined(code), K)


def _joined(code: str) -> None:
    try:
        summary = class_store().summary(code)
    except STORE_ERRORS as err:
        st.error(failure(err))
        return
    names = ", ".join(plain(n) for n in summary.nicknames) or "nobody yet"
    st.markdown(f"**{summary.students} joined:** {names}", text_alignment="center")
