"""What a class action tells the person at the screen: a message left for the next run
(`flash`, `show_flash`), and the words for an action the store refused or could not do."""

from __future__ import annotations

import logging
from typing import Literal

import sqlalchemy as sa
import streamlit as st

from nnviz.classes import ClassError
from nnviz.ui.classes.state import FLASH, Flash
from nnviz.ui.widgets import plain

STORE_ERRORS = (ClassError, sa.exc.SQLAlchemyError)  # a refused action, a database that fails
_LOG = logging.getLogger("nnviz")


def flash(place: str, kind: Literal["success", "error", "info"], text: str) -> None:
    """Leave a message for the next run to show at `place`."""
    FLASH.get()[place] = Flash(kind, text)


def show_flash(place: str) -> None:
    """Show (once) the message left for `place`, if any."""
    message = FLASH.get().pop(place, None)
    if message is not None:
        box = {"success": st.success, "error": st.error, "info": st.info}[message.kind]
        icons = {"success": ":material/check_circle:", "error": ":material/error:"}
        box(message.text, icon=icons.get(message.kind, ":material/info:"))


def failure(err: Exception) -> str:
    """What to tell the person at the screen when a class action fails: the store's own words
    for a refused action; for a database that fails, a short note (the details go to the log,
    never to the page)."""
    if isinstance(err, ClassError):
        return plain(str(err), 400)
    _LOG.error("the class database failed", exc_info=err)
    return "The class database did not answer. Try again in a moment."
