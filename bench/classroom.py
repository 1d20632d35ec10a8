"""A class on one server: N students press Play on the Playground and keep it live.

    python -m bench.classroom --sessions 1,10,30              # fresh `streamlit run app.py`
    python -m bench.classroom --sessions 1,10,30 --replicas 2 # fresh nnviz.serve + nginx
    python -m bench.classroom --url http://127.0.0.1:8501 --pids 1234,1240
    python -m bench.classroom --sessions 30 --heavy 1         # one of them plays the heaviest run

Browsers cannot be the load on a small machine (a few chromium tabs saturate two cores), so each
student is a websocket speaking Streamlit's own protocol (`bench/streamlit_client.py`): it loads
the page, presses Play, and then asks for a fragment rerun every `run_every` seconds exactly as
the frontend's timer does. One real chromium tab plays alongside to prove the frames are real.

Per level of N sessions, over a measured window of `--seconds`:
- frames/s per session: fragment runs delivered whole (every element a frame draws arrived
  before its `script_finished`); median, min and min/median (is anyone starved?);
- dropped: the share of fragment runs whose pictures the server discarded unsent because the
  session's next run had already started (see `bench/streamlit_client.py`);
- server CPU ms per frame: utime+stime of the server process tree (/proc) over the window,
  divided by all fragment runs served (dropped ones and the chromium tab's included);
- RSS: VmRSS summed over the server tree (peak in the window), and per session above the
  baseline measured after one warm-up session per replica has come and gone.
When this script starts the server it starts a fresh one per level, so memory of earlier levels
(Streamlit keeps a closed session for `server.disconnectedSessionTTL`, 120 s) does not count.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import websockets

from bench import procstat
from bench.browser_tab import BrowserTab, browser_missing
from bench.streamlit_client import ProtocolError, Session, is_loopback
from nnviz.serve import MAX_REPLICAS, Cluster, ServeError
from nnviz.serve.processes import free_port

# What the bench drives; keep in step with the Playground's page and toolbar.
PAGE = "playground"  # URL path of the Playground page
QUERY = "dataset=spirals&hidden=8,8"  # the measured case: spirals, 8-8 network
# The heaviest run a student can ask for: the most samples, layers, units and steps per frame.
HEAVY_QUERY = "dataset=spirals&n_samples=1000&hidden=32,32,32,32,32,32&steps_per_frame=1000"
PLAY_KEY = "pg.play"  # st.button key of Play/Pause (widget id `$$ID-<hash>-pg.play`)
COUNTER_LABEL = "Step"  # st.metric that counts training steps

MAX_SESSIONS = 64
MAX_LEVELS = 8
MAX_SECONDS = 120.0
SETTLE_SECONDS = 1.0
WARMUP_SECONDS = 2.0


@dataclass(frozen=True)
class LevelResult:
    """One level's figures; `None` where a figure could not be measured."""

    sessions: int
    seconds: float
    frames_per_s: tuple[float, ...]  # one per websocket session but the heavy ones
    dropped: int  # fragment runs whose output was discarded unsent, all sessions
    server_cpu_s: float | None
    runs_total: float  # fragment runs, dropped ones and the chromium tab's included
    rss_bytes: int | None
    baseline_rss_bytes: int | None
    tab_runs_per_s: float | None  # the chromium tab's, off its step counter
    tab_steps: tuple[int, int] | None  # its step counter at the window's start and end
    load_average: float
    client_cpu_s: float
    steps_ok: int  # sessions whose step counter advanced by frames × steps per frame
    unstarted: int = 0  # sessions that never got the page or Play within the ramp (0 f/s)
    heavy_frames_per_s: tuple[float, ...] = ()  # the sessions playing `HEAVY_QUERY`

    @property
    def median(self) -> float:
        return statistics.median(self.frames_per_s) if self.frames_per_s else 0.0

    @property
    def minimum(self) -> float:
        return min(self.frames_per_s, default=0.0)

    @property
    def heavy_median(self) -> float | None:
        return statistics.median(self.heavy_frames_per_s) if self.heavy_frames_per_s else None

    @property
    def dropped_share(self) -> float | None:
        delivered = (sum(self.frames_per_s) + sum(self.heavy_frames_per_s)) * self.seconds
        runs = delivered + self.dropped
        return self.dropped / runs if runs > 0 else None

    @property
    def cpu_ms_per_frame(self) -> float | None:
        if self.server_cpu_s is None or self.runs_total <= 0:
            return None
        return 1000 * self.server_cpu_s / self.runs_total

    @property
    def rss_per_session(self) -> float | None:
        if self.rss_bytes is None or self.baseline_rss_bytes is None:
            return None
        on_server = self.sessions + (self.tab_steps is not None)
        return (self.rss_bytes - self.baseline_rss_bytes) / on_server


def format_table(rows: Sequence[LevelResult]) -> str:
    """The results as a Markdown table (what the README shows).

    `sessions` are the simulated students; the chromium tab is one more session on the server:
    its runs count in CPU ms/frame and its memory in MB/session. Its rate is read off its step
    counter (steps ÷ steps per frame), so it counts dropped runs too. With `--heavy`, the f/s
    columns are the other sessions' and `heavy f/s` the heavy ones' median.
    """

    def num(value: float | None, spec: str) -> str:
        return "–" if value is None else format(value, spec)

    mb = 1024 * 1024
    header = (
        "| sessions | f/s median | f/s min | min/median | dropped | server CPU ms/frame "
        "| server cores | RSS MB | MB/session | chromium tab runs/s | heavy f/s | load 1m |"
    )
    lines = [header, "|" + "---:|" * 12]
    for r in rows:
        ratio = r.minimum / r.median if r.median > 0 else None
        cores = r.server_cpu_s / r.seconds if r.server_cpu_s is not None else None
        rss = r.rss_bytes / mb if r.rss_bytes is not None else None
        per = r.rss_per_session / mb if r.rss_per_session is not None else None
        cells = [
            str(r.sessions),
            num(r.median, ".2f"),
            num(r.minimum, ".2f"),
            num(ratio, ".2f"),
            num(r.dropped_share, ".0%"),
            num(r.cpu_ms_per_frame, ".0f"),
            num(cores, ".2f"),
            num(rss, ".0f"),
            num(per, ".1f"),
            num(r.tab_runs_per_s, ".2f"),
            num(r.heavy_median, ".2f"),
            num(r.load_average, ".2f"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


class ServerProcesses:
    """The processes whose CPU and memory count as the server, and the URLs of its replicas
    (each is warmed up before a level; behind a proxy the front URL may miss one)."""

    def __init__(self, roots: Sequence[int], replica_urls: Sequence[str] = ()) -> None:
        self.roots = list(roots)
        self.replica_urls = list(replica_urls)

    def pids(self) -> list[int]:
        return procstat.tree(self.roots)

    def cpu(self) -> dict[int, float]:
        return procstat.cpu_seconds(self.pids())

    def rss(self) -> int | None:
        return procstat.rss_bytes(self.pids()) if self.roots else None


async def _open_and_play(session: Session, timeout: float) -> None:
    await session.open(timeout)
    await session.press(PLAY_KEY, timeout)


async def _warm_up(url: str, query: str, timeout: float) -> None:
    """One session plays for a moment and leaves: imports, caches and the router are warm."""
    session = Session(url, PAGE, query, COUNTER_LABEL)
    try:
        await _open_and_play(session, timeout)
        await asyncio.sleep(WARMUP_SECONDS)
    finally:
        await session.close()


async def run_level(
    url: str,
    sessions: int,
    seconds: float,
    server: ServerProcesses,
    query: str = QUERY,
    browser: bool = True,
    heavy: int = 0,
) -> LevelResult:
    """Warm up, open `sessions` sessions at once, press Play in all, measure `seconds`; the
    first `heavy` of them play `HEAVY_QUERY`.

    A session that has not shown a live frame by the end of the ramp is measured anyway: a
    starved student is a result, not an error.
    """
    ramp = min(30.0 + 4.0 * sessions, 240.0)
    await asyncio.gather(*(_warm_up(u, query, ramp) for u in server.replica_urls or [url]))
    await asyncio.sleep(1.0)
    baseline = server.rss()
    tab = BrowserTab(f"{url}/{PAGE}?{query}", PLAY_KEY, COUNTER_LABEL) if browser else None
    clients = [
        Session(url, PAGE, HEAVY_QUERY if i < heavy else query, COUNTER_LABEL)
        for i in range(sessions)
    ]
    try:
        opened = asyncio.gather(*(_open_and_play(c, ramp) for c in clients), return_exceptions=True)
        tab_started = await _start_tab(tab, ramp)
        failures = [err for err in await opened if isinstance(err, BaseException)]
        for err in failures:
            if not isinstance(err, ProtocolError | OSError | websockets.WebSocketException):
                raise err
        if failures:
            print(f"  {len(failures)} sessions did not start: {failures[0]}", file=sys.stderr)
        if not tab_started:
            tab = None
        live = [
            asyncio.create_task(c.wait_for(lambda k: k.frames >= 1, ramp, "frame")) for c in clients
        ]
        _, late = await asyncio.wait(live, timeout=ramp)
        for task in late:
            task.cancel()
        await asyncio.sleep(SETTLE_SECONDS)
        result = await _measure(clients, tab, seconds, server, baseline, heavy)
        return replace(result, unstarted=len(failures))
    finally:
        await asyncio.gather(*(c.close() for c in clients))
        if tab is not None:
            await tab.close()


async def _start_tab(tab: BrowserTab | None, timeout: float) -> bool:
    if tab is None:
        return False
    try:
        await tab.start(timeout)
    except Exception as err:  # the load figures stand without the tab; say why it is missing
        print(f"  chromium tab did not start: {err}", file=sys.stderr)
        await tab.close()
        return False
    return True


async def _measure(
    clients: list[Session],
    tab: BrowserTab | None,
    seconds: float,
    server: ServerProcesses,
    baseline: int | None,
    heavy: int = 0,
) -> LevelResult:
    frames0 = [c.counters.frames for c in clients]
    dropped0 = [c.counters.dropped for c in clients]
    steps0 = [c.counters.steps or 0 for c in clients]
    tab0 = await tab.counter() if tab is not None else None
    cpu0, client0, t0 = server.cpu(), time.process_time(), time.monotonic()
    peak = server.rss()
    while (left := seconds - (time.monotonic() - t0)) > 0:
        await asyncio.sleep(min(1.0, left))
        rss = server.rss()
        peak = max(peak, rss) if rss is not None and peak is not None else peak
    cpu1, client1, elapsed = server.cpu(), time.process_time(), time.monotonic() - t0
    tab1 = await tab.counter() if tab is not None else None
    frames = [c.counters.frames - f for c, f in zip(clients, frames0, strict=True)]
    dropped = [c.counters.dropped - d for c, d in zip(clients, dropped0, strict=True)]
    runs = [f + d for f, d in zip(frames, dropped, strict=True)]
    steps = [(c.counters.steps or 0) - s for c, s in zip(clients, steps0, strict=True)]
    per_frame = _steps_per_frame(runs[heavy:], steps[heavy:])
    tab_steps = (tab0, tab1) if tab0 is not None and tab1 is not None else None
    tab_rate = (tab1 - tab0) / per_frame / elapsed if tab_steps and per_frame else None
    return LevelResult(
        sessions=len(clients),
        seconds=elapsed,
        frames_per_s=tuple(f / elapsed for f in frames[heavy:]),
        heavy_frames_per_s=tuple(f / elapsed for f in frames[:heavy]),
        dropped=sum(dropped),
        server_cpu_s=procstat.cpu_between(cpu0, cpu1) if server.roots else None,
        runs_total=sum(runs) + (tab_rate or 0.0) * elapsed,
        rss_bytes=peak,
        baseline_rss_bytes=baseline,
        tab_runs_per_s=tab_rate,
        tab_steps=tab_steps,
        load_average=procstat.load_average(),
        client_cpu_s=client1 - client0,
        steps_ok=_steps_agree(runs[heavy:], steps[heavy:], per_frame),
    )


def _steps_per_frame(runs: list[int], steps: list[int]) -> int | None:
    """Training steps per fragment run, as the step counters show it (the median session's)."""
    ratios = [s / n for n, s in zip(runs, steps, strict=True) if n > 0]
    return round(statistics.median(ratios)) if ratios else None


def _steps_agree(runs: list[int], steps: list[int], per_frame: int | None) -> int:
    """Sessions whose step counter moved with their fragment runs (one run in flight allowed)."""
    if not per_frame:
        return 0
    return sum(
        1 for n, s in zip(runs, steps, strict=True) if n and abs(s - n * per_frame) <= per_frame
    )


def parse_sessions(text: str) -> list[int]:
    try:
        levels = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a comma-separated list of counts: {text!r}"
        ) from None
    if not levels or len(levels) > MAX_LEVELS:
        raise argparse.ArgumentTypeError(f"give 1…{MAX_LEVELS} levels, got {text!r}")
    if any(not 1 <= n <= MAX_SESSIONS for n in levels):
        raise argparse.ArgumentTypeError(f"each level must be 1…{MAX_SESSIONS} sessions: {text!r}")
    return levels


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.classroom", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sessions", type=parse_sessions, default=[1, 10, 30])
    parser.add_argument("--seconds", type=float, default=10.0, help="measured window per level")
    parser.add_argument("--replicas", type=int, default=1, help="start K replicas behind nginx")
    parser.add_argument("--url", help="an already running app or proxy (loopback only)")
    parser.add_argument("--pids", default="", help="with --url: server pids (their trees count)")
    parser.add_argument("--query", default=QUERY, help=f"Playground query string ({QUERY})")
    parser.add_argument("--no-browser", action="store_true", help="no chromium tab alongside")
    parser.add_argument(
        "--heavy", type=int, default=0, help="this many of the sessions play the heaviest run"
    )
    parser.add_argument("streamlit_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not 1.0 <= args.seconds <= MAX_SECONDS:
        parser.error(f"--seconds must be in 1…{MAX_SECONDS:.0f}")
    if args.url is not None and not is_loopback(args.url):
        parser.error(f"--url must be a loopback address (127.0.0.1, ::1, localhost): {args.url}")
    if not 1 <= args.replicas <= MAX_REPLICAS:
        parser.error(f"--replicas must be in 1…{MAX_REPLICAS}")
    if not 0 <= args.heavy < min(args.sessions):
        parser.error("--heavy must leave at least one ordinary session at every level")
    if args.url is not None and args.replicas != 1:
        parser.error("--replicas starts servers; with --url the server is already running")
    try:
        args.pids = [int(p) for p in args.pids.split(",") if p.strip()]
    except ValueError:
        parser.error(f"--pids must be comma-separated process ids: {args.pids!r}")
    if args.streamlit_args[:1] == ["--"]:
        args.streamlit_args = args.streamlit_args[1:]
    return args


def _level(args: argparse.Namespace, sessions: int) -> LevelResult:
    """One level against a fresh server (or the given one)."""
    browser = not args.no_browser
    if args.url is not None:
        server = ServerProcesses(args.pids)
        return asyncio.run(
            run_level(args.url, sessions, args.seconds, server, args.query, browser, args.heavy)
        )
    with tempfile.TemporaryDirectory(prefix="nnviz-classroom-") as logs:
        cluster = Cluster(
            args.replicas,
            free_port(),
            log_dir=Path(logs),
            streamlit_args=args.streamlit_args,
        )
        with cluster:
            server = ServerProcesses(
                [c.process.pid for c in cluster.children],
                [f"http://127.0.0.1:{port}" for port in cluster.replica_ports],
            )
            return asyncio.run(
                run_level(
                    cluster.url, sessions, args.seconds, server, args.query, browser, args.heavy
                )
            )


def _summary(row: LevelResult) -> str:
    """The checks behind the figures: step counters, the chromium tab, the load generator."""
    parts = [
        f"{row.median:.2f} f/s median",
        f"step counters agree with runs in {row.steps_ok}/{len(row.frames_per_s)}",
    ]
    if row.unstarted:
        parts.append(f"{row.unstarted} never started")
    if row.tab_steps is not None:
        parts.append(f"chromium tab step counter {row.tab_steps[0]} → {row.tab_steps[1]}")
    parts.append(f"load generator {100 * row.client_cpu_s / row.seconds:.0f}% of a core")
    return "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if not args.no_browser and (reason := browser_missing()) is not None:
        print(f"no chromium tab: {reason}", file=sys.stderr)
        args.no_browser = True
    if args.url is not None:
        where = (
            f"{args.url} (pids {args.pids or 'unknown: no CPU or memory figures'}; one warm-up "
            "session, and earlier levels' sessions stay in memory for the server's "
            "disconnectedSessionTTL, 120 s by default)"
        )
    else:
        proxy = f"{args.replicas} replicas behind nginx" if args.replicas > 1 else "direct"
        where = f"a fresh `streamlit run app.py` per level, {proxy}"
    print(f"classroom bench: {where}")
    print(
        f"page /{PAGE}?{args.query}, {args.seconds:.0f} s measured per level, "
        f"{os.cpu_count()} CPUs, load {procstat.load_average():.2f}"
        + (f", streamlit {' '.join(args.streamlit_args)}" if args.streamlit_args else "")
    )
    rows = []
    for sessions in args.sessions:
        try:
            row = _level(args, sessions)
        except (ProtocolError, ServeError, OSError) as err:
            print(f"{sessions} sessions: failed: {err}", file=sys.stderr)
            continue
        rows.append(row)
        print(f"{sessions} sessions: {_summary(row)}", flush=True)
    print()
    print(format_table(rows))
    return 0 if len(rows) == len(args.sessions) else 1


if __name__ == "__main__":
    sys.exit(main())
