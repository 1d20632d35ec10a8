"""The one live loop: the Play / Pause toolbar, the fragment that trains and redraws while
playing, and the row of numbers above the pictures. Playground, Train on MNIST and Compare
all play through it; the Class page's live view refreshes through it (`refresh`).

While playing, the pictures run in a fragment with a `run_every` timer: each tick calls the page's
`tick` (train one frame's worth) and `draw`, and only the fragment reruns. Pause is a full
rerun, which registers the fragment again without `run_every`, so the timer stops. A tick that
must end the run (diverged, finished, nothing left to train) returns False after leaving its
notice; the loop then pauses and reruns the page in full. Under `AppTest` a fragment runs once
per `.run()`, so one run while playing is exactly one tick.

Play and Pause *set* the flag, they never toggle it: a click is delivered with the widget
state the browser had, and a tick racing it could otherwise flip the flag back.

A class shares one server process, so a frame ends only once its pictures have left the server
(`_wait_until_sent` says why). The wait reads two private attributes of Streamlit's
`AppSession` (`_event_loop`, `_browser_queue`); streamlit is pinned, and
`tests/ui/test_player.py` checks that both are there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime import Runtime
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import get_script_run_ctx

from nnviz.ui.state import Keys, SessionValue
from nnviz.ui.widgets import Button, button, report_failure

PRIMARY_WIDTH = 130


def toolbar(
    playing: SessionValue[bool],
    key: str,
    play: Button,
    buttons: Sequence[Button] = (),
    pause: Button | None = None,
) -> None:
    """The primary button (`play` while stopped, `pause` while playing, by default one that
    only stops), then `buttons`, disabled during play unless `while_playing`."""
    now_playing = playing.get()
    pause = pause or Button("Pause", play.key, playing.set, (False,), ":material/pause:")
    with st.container(key=key, horizontal=True, vertical_alignment="center"):
        primary = pause if now_playing else play
        button(primary, type="primary", width=PRIMARY_WIDTH)
        for item in buttons:
            idle = item.while_playing or not now_playing
            button(item, disabled=item.disabled or not idle)


@dataclass(frozen=True)
class Loop:
    """What one page plays: its flag, the tick interval, one frame's training and drawing, and
    the feature whose state a reset after an unexpected error clears."""

    playing: SessionValue[bool]
    every: float
    tick: Callable[[], bool]
    draw: Callable[[], None]
    keys: Keys
    draw_first: bool = False


def live(loop: Loop) -> None:
    """Draw, and while playing train: a timer reruns just this part every `loop.every` s.

    `tick()` trains one frame's worth and returns False when the run must stop. With
    `draw_first` the frame shows the state before the tick trains, so a slow tick does not
    leave stale pictures on screen while it works.
    """
    run_every = loop.every if loop.playing.get() else None
    st.fragment(run_every=run_every)(_frame)(loop)


SEND_PATIENCE = 1.0  # seconds a finished frame waits for its pictures to leave the server


def _frame(loop: Loop) -> None:
    try:
        if loop.draw_first:
            loop.draw()
        if loop.playing.get() and not loop.tick():
            loop.playing.set(False)
            st.rerun()  # a full run drops the timer and draws the paused page
        if not loop.draw_first:
            loop.draw()
    except Exception as err:  # the fragment would show a traceback: pause and say so
        if loop.playing.get():
            loop.playing.set(False)
            st.rerun()  # drops the timer; the paused page then shows the message once
        report_failure("the live view", err, loop.keys.forget, loop.keys("reset_after.live"))
    _wait_until_sent(_app_session())


def _app_session() -> AppSession | None:
    """This run's `AppSession` on a running server; None without one."""
    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    manager = getattr(Runtime.instance(), "_session_mgr", None)  # AppTest's runtime is a mock
    info = None if manager is None else manager.get_active_session_info(ctx.session_id)
    session = getattr(info, "session", None)
    return session if isinstance(session, AppSession) else None


def _wait_until_sent(session: AppSession | None) -> None:
    """Return once what this frame drew has left the server, or after `SEND_PATIENCE`.

    Why: the browser's timer fires every `run_every` whether or not the last frame arrived,
    and the start of a session's next run discards what the last one queued but did not yet
    send (`AppSession._clear_queue`). Under load the next run starts at once, so every frame
    would be trained, drawn and thrown away. Waiting here, with the GIL released, makes each
    session's frame rate follow what the server can send.

    A script thread hands its messages to the event loop as callbacks, which put them in the
    session's queue in order: once a callback scheduled now has run, this frame is all
    queued, and an empty queue then means it was all sent.
    """
    if session is None:
        return
    deadline = time.monotonic() + SEND_PATIENCE
    queued = threading.Event()
    try:
        session._event_loop.call_soon_threadsafe(queued.set)
    except RuntimeError:  # the loop has closed: the server is stopping
        return
    queue, pause = session._browser_queue, 0.001
    if queued.wait(SEND_PATIENCE):
        while not queue.is_empty() and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(2 * pause, 0.016)  # thirty waiting threads must not keep the GIL busy


def loss_text(value: float) -> str:
    """A loss as a person reads it: four decimals, or three significant digits once it is
    huge (a diverging run reaches 1e300, which would print 300 digits)."""
    return f"{value:.4f}" if abs(value) < 1e4 else f"{value:.3g}"


def metric_row(cells: Sequence[tuple[str, str]]) -> None:
    """`(label, value)` pairs as one row of `st.metric`s (a horizontal container is one
    element where `st.columns` is one per cell, and a live frame pays for each element)."""
    with st.container(horizontal=True, gap="medium"):
        for label, value in cells:
            st.metric(label, value, width="stretch")


def refresh(on: SessionValue[bool], every: float, draw: Callable[[], None], keys: Keys) -> None:
    """Redraw every `every` seconds while `on`: for a page that watches rather than trains
    (the class's live view). The same fragment as `live`, with nothing to advance."""
    live(Loop(on, every, _nothing_to_advance, draw, keys))


def _nothing_to_advance() -> bool:
    return True
