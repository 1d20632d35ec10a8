"""A Streamlit browser tab without the browser: what the frontend sends, over one websocket.

The protocol, as the Streamlit 1.67 frontend speaks it (read from `streamlit/static` and
`streamlit/web/server/starlette/starlette_websocket.py`):

1. Open `ws://host/_stcore/stream` with subprotocols `["streamlit", <xsrf token or
   "PLACEHOLDER_AUTH_TOKEN">, <last session id, on reconnect only>]`; binary frames, each one
   protobuf: `BackMsg` up, `ForwardMsg` down. The server compares Origin with Host.
2. Send `BackMsg.rerun_script` (a `ClientState`): `query_string` without `?`, `page_name` = the
   URL path (`playground`) and an empty `page_script_hash` on the first run; afterwards the
   `page_script_hash` of the current page (from the `navigation` ForwardMsg) and no page name.
3. The server answers with `new_session`, `navigation`, `delta`s (each element's widget id is
   `$$ID-<hash>-<key>`), `page_info_changed` (the query string the page set), `script_finished`.
4. A button press is a full rerun whose `widget_states` hold `{id, trigger_value: true}`. The
   browser also sends every other widget's current value with each rerun; this client sends
   only the trigger, and the server keeps the values it has (widgets are seeded from state).
5. A fragment with `run_every` makes the server send `auto_rerun {interval, fragment_id}`; from
   then on the browser sends, every `interval` seconds (setInterval, whether or not the last run
   finished; the server coalesces), a `rerun_script` with `fragment_id` set and
   `is_auto_rerun: true`. Each completed one ends in `script_finished` with status
   `FINISHED_FRAGMENT_RUN_SUCCESSFULLY`: one frame. `stop_auto_rerun` ends the timer. (The same
   fragment id is on every delta the fragment draws, `delta.fragment_id`.)
6. The server sends from its event loop, and runs scripts in one thread per session. When the
   event loop handles the start of a session's next run, it clears what the previous run of
   that fragment still had queued and relabels a `script_finished` still queued
   FINISHED_EARLY_FOR_RERUN (`AppSession._clear_queue`, `ForwardMsgQueue.clear`): the training
   happened, the picture (or part of it) never left the server. The label alone does not say
   which: the app's live frames wait until their pictures are sent (`nnviz.ui.player`), and
   then only the label is cut. So a fragment run counts as a frame when every element a whole
   frame draws arrived (as a delta or a `ref_hash`, by `metadata.delta_path`; a whole frame
   is the most paths this session has seen in one fragment run), and as dropped otherwise.
7. Large elements come with `metadata.cacheable` and a `hash`; the browser keeps them for
   `new_session.config.max_cached_message_age` runs and lists their hashes in
   `cached_message_hashes`, so the server may send a `ref_hash` instead of an unchanged element.
   The cache ages only on a `script_finished` that arrives after `new_session` with no rerun
   request sent in between (the frontend's `hasReceivedNewSession`); with a timer that fires
   during every run, it hardly ages at all. Mimicked as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.cookies
import ipaddress
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = ForwardMsg.ScriptFinishedStatus
_WIDGET_ID_PREFIX = "$$ID-"


class ProtocolError(RuntimeError):
    """The server did not answer the way a Streamlit 1.67 app does."""


@dataclass
class MessageCache:
    """The frontend's ForwardMsg cache, by hash: entries age by one per finished run (of
    their own fragment, during fragment runs) and expire past `max_age`; a hit refreshes."""

    max_age: int = 2
    runs: int = 0
    entries: dict[str, tuple[int, str]] = field(default_factory=dict)

    def see(self, msg: ForwardMsg) -> None:
        if msg.WhichOneof("type") == "ref_hash":
            key = msg.ref_hash
            if key not in self.entries:
                raise ProtocolError(f"the server referenced an uncached message {key}")
            self.entries[key] = (self.runs, self.entries[key][1])
        elif msg.metadata.cacheable and msg.hash:
            fragment = msg.delta.fragment_id if msg.HasField("delta") else ""
            self.entries[msg.hash] = (self.runs, fragment)

    def finish_run(self, fragment_ids: list[str]) -> None:
        self.runs += 1
        for key, (seen, fragment) in list(self.entries.items()):
            if fragment_ids and fragment not in fragment_ids:
                continue
            if self.runs - seen > self.max_age:
                del self.entries[key]


@dataclass
class Counters:
    """What one session saw: frames are fragment runs delivered whole; dropped ones were cut."""

    frames: int = 0
    dropped: int = 0
    full_runs: int = 0
    finished: int = 0  # every script_finished, whatever its status
    steps: int | None = None
    frame_elements: int = 0  # elements a whole fragment run draws (the most seen in one run)


class Session:
    """One simulated browser tab on `page` of the app at `base_url`.

    Args:
        base_url: `http://127.0.0.1:8501` (the app or the proxy in front of it).
        page: the page's URL path, e.g. `playground`.
        query: its query string without `?`, e.g. `dataset=spirals&hidden=8,8`.
        counter_label: the `st.metric` whose integer value is recorded (the step counter).
    """

    def __init__(self, base_url: str, page: str, query: str, counter_label: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query = query
        self.counter_label = counter_label
        self.counters = Counters()
        self.widget_ids: dict[str, str] = {}
        self.labels: dict[str, str] = {}
        self._page_hash = ""
        self._cache = MessageCache()
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task | None = None
        self._timers: dict[str, tuple[float, asyncio.Task]] = {}
        self._run_finished = asyncio.Condition()
        self._new_session_seen = False
        self._run_paths: set[tuple[int, ...]] = set()

    async def open(self, timeout: float) -> None:
        """Load the page the way a browser does and wait for its first complete run."""
        cookies = await asyncio.to_thread(self._first_request)
        scheme, rest = self.base_url.split("://", 1)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        self._ws = await websockets.connect(
            f"{'wss' if scheme == 'https' else 'ws'}://{rest}/_stcore/stream",
            subprotocols=["streamlit", cookies.get("_streamlit_xsrf", "PLACEHOLDER_AUTH_TOKEN")],
            origin=self.base_url,
            additional_headers=headers,
            max_size=None,
            open_timeout=timeout,
        )
        self._reader = asyncio.create_task(self._read())
        await self._send_rerun(first=True)
        await self.wait_for(lambda c: c.full_runs >= 1, timeout, "the first run")

    def _first_request(self) -> dict[str, str]:
        """GET the page: the proxy's affinity cookie and Streamlit's XSRF cookie come back."""
        url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        with urllib.request.urlopen(url, timeout=30) as reply:
            jar = http.cookies.SimpleCookie()
            for header in reply.headers.get_all("Set-Cookie") or []:
                jar.load(header)
        return {name: morsel.value for name, morsel in jar.items()}

    async def press(self, key: str, timeout: float) -> None:
        """Click the button with Streamlit key `key` (a trigger widget, one full rerun)."""
        if key not in self.widget_ids:
            seen = ", ".join(sorted(self.widget_ids))
            raise ProtocolError(f"no widget with key {key!r} on the page; keys seen: {seen}")
        # The run may end relabelled FINISHED_EARLY_FOR_RERUN when the next one starts before its
        # messages left the server, so any end of a run counts.
        runs = self.counters.finished
        await self._send_rerun(widgets=[WidgetState(id=self.widget_ids[key], trigger_value=True)])
        await self.wait_for(lambda c: c.finished > runs, timeout, f"run after pressing {key}")

    async def wait_for(self, predicate, timeout: float, what: str) -> None:
        async with self._run_finished:
            try:
                await asyncio.wait_for(
                    self._run_finished.wait_for(lambda: predicate(self.counters)), timeout
                )
            except TimeoutError:
                raise ProtocolError(
                    f"no {what} within {timeout:.0f} s (saw {self.counters})"
                ) from None

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()

    async def _send_rerun(
        self, first: bool = False, widgets=(), fragment_id: str = "", auto: bool = False
    ) -> None:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = "" if first else self._page_hash
        state.page_name = self.page if first else ""
        state.widget_states.widgets.extend(widgets)
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = auto
        state.cached_message_hashes.extend(self._cache.entries)
        info = state.context_info
        info.timezone, info.locale, info.color_scheme = "UTC", "en-US", "light"
        info.url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        await self._ws.send(msg.SerializeToString())
        self._new_session_seen = False

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._cache.see(msg)
            kind = msg.WhichOneof("type")
            if kind in ("delta", "ref_hash"):
                self._run_paths.add(tuple(msg.metadata.delta_path))
            if kind == "new_session":
                self._run_paths = set()
                self._cache.max_age = msg.new_session.config.max_cached_message_age
                self._new_session_seen = True
            elif kind == "navigation":
                self._page_hash = msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._see_element(msg.delta.new_element)
            elif kind == "auto_rerun":
                self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
            elif kind == "stop_auto_rerun":
                for fragment_id in msg.stop_auto_rerun.fragment_ids:
                    self._stop_timer(fragment_id)
            elif kind == "script_finished":
                await self._finished(msg)

    def _see_element(self, element) -> None:
        inner = getattr(element, element.WhichOneof("type"))
        widget_id = getattr(inner, "id", "")
        if widget_id.startswith(_WIDGET_ID_PREFIX):
            key = widget_id[len(_WIDGET_ID_PREFIX) :].split("-", 1)[-1]
            self.widget_ids[key] = widget_id
            self.labels[key] = getattr(inner, "label", "")
        if element.WhichOneof("type") == "metric" and inner.label == self.counter_label:
            with contextlib.suppress(ValueError):
                self.counters.steps = int(inner.body.replace(",", ""))

    async def _finished(self, msg: ForwardMsg) -> None:
        status = msg.script_finished
        if status != FINISHED.FINISHED_EARLY_FOR_RERUN and self._new_session_seen:
            self._cache.finish_run(list(msg.metadata.run.fragment_ids))
        async with self._run_finished:
            self.counters.finished += 1
            fragment_run = status == FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY or (
                status == FINISHED.FINISHED_EARLY_FOR_RERUN and msg.metadata.run.fragment_ids
            )
            if fragment_run:
                drawn = len(self._run_paths)
                whole = self.counters.frame_elements = max(self.counters.frame_elements, drawn)
                if drawn and drawn == whole:
                    self.counters.frames += 1
                else:
                    self.counters.dropped += 1
            elif status == FINISHED.FINISHED_SUCCESSFULLY:
                self.counters.full_runs += 1
            self._run_finished.notify_all()

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        if fragment_id in self._timers and self._timers[fragment_id][0] == interval:
            return
        self._stop_timer(fragment_id)
        task = asyncio.create_task(self._tick(fragment_id, interval))
        self._timers[fragment_id] = (interval, task)

    def _stop_timer(self, fragment_id: str) -> None:
        if fragment_id in self._timers:
            self._timers.pop(fragment_id)[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """Like the browser's setInterval: a fixed period however long the runs take, and no
        burst of catch-up ticks when this client falls behind."""
        deadline = time.monotonic()
        while True:
            deadline = max(deadline + interval, time.monotonic())
            await asyncio.sleep(deadline - time.monotonic())
            await self._send_rerun(fragment_id=fragment_id, auto=True)


def is_loopback(url: str) -> bool:
    """Only local servers are ever loaded: 127.0.0.0/8, ::1 or localhost."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
