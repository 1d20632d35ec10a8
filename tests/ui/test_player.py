"""The live loop on a shared server: a frame ends only once its messages have left."""

import asyncio
import inspect
import threading
import time

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from nnviz.ui import player

WAIT = 10.0  # seconds before a test gives up on a thread: a hang, not a timing


def start(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args, daemon=True)
    thread.start()
    return thread


class FakeSession:
    """What `_wait_until_sent` reads of an `AppSession`: its event loop and message queue."""

    def __init__(self) -> None:
        self._event_loop = asyncio.new_event_loop()
        self._browser_queue = ForwardMsgQueue()
        self.sent: list[ForwardMsg] = []
        self.thread = start(self._event_loop.run_forever)

    def busy_for(self, seconds: float) -> None:
        """The event loop falls behind, as it does while thirty frames are drawn."""
        self._event_loop.call_soon_threadsafe(time.sleep, seconds)

    def enqueue_later(self, message) -> None:
        """As a script thread does: the message reaches the queue by an event-loop callback."""
        self._event_loop.call_soon_threadsafe(self._browser_queue.enqueue, message)

    def flush_after(self, seconds: float) -> None:
        """As the runtime's loop does, later: take the queue's messages to send them."""

        def flush() -> None:
            self.sent += self._browser_queue.flush()

        self._event_loop.call_soon_threadsafe(self._event_loop.call_later, seconds, flush)

    def close(self) -> None:
        self._event_loop.call_soon_threadsafe(self._event_loop.stop)
        self.thread.join(WAIT)
        self._event_loop.close()


def message() -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return msg


def test_a_frame_ends_once_its_messages_have_left():
    session = FakeSession()
    try:
        session.busy_for(0.1)
        session.enqueue_later(message())  # not yet in the queue when the frame ends
        session.flush_after(0.1)
        player._wait_until_sent(session)
        assert len(session.sent) == 1
    finally:
        session.close()


def test_a_frame_stops_waiting_for_a_queue_that_is_never_sent(monkeypatch):
    monkeypatch.setattr(player, "SEND_PATIENCE", 0.05)
    session = FakeSession()
    try:
        session.enqueue_later(message())
        player._wait_until_sent(session)  # returns: the test would hang otherwise
        assert len(session._browser_queue) == 1
    finally:
        session.close()


def test_without_a_server_there_is_nothing_to_wait_for():
    assert player._app_session() is None
    player._wait_until_sent(None)


def test_streamlit_still_has_what_the_wait_reads():
    """`_wait_until_sent` reads two private attributes of the pinned Streamlit's AppSession."""
    source = inspect.getsource(AppSession.__init__)
    assert "self._event_loop =" in source
    assert "self._browser_queue =" in source
    assert "self._enqueue_forward_msg(forward_msg)" in inspect.getsource(
        AppSession._handle_scriptrunner_event_on_event_loop
    ), "a script's messages no longer reach the queue through the event loop"
