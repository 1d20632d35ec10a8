"""`python -m nnviz.serve --replicas K --port 8501 [--address 0.0.0.0] [-- streamlit options]`."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from nnviz.serve.cluster import MAX_REPLICAS, Cluster
from nnviz.serve.errors import ServeError
from nnviz.serve.nginx import REPO


class _Stop(Exception):
    """Raised by the signal handler to leave the wait loop."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signal.Signals(signum).name)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m nnviz.serve",
        description="Run nnviz as K Streamlit replicas behind nginx, each browser pinned to one.",
        epilog="Options after -- go to every streamlit run, e.g. -- --runner.postScriptGC false",
    )
    parser.add_argument(
        "--replicas", type=int, default=2, help=f"Streamlit processes, 1…{MAX_REPLICAS} (2)"
    )
    parser.add_argument("--port", type=int, default=8501, help="the port browsers open (8501)")
    parser.add_argument(
        "--address",
        default="127.0.0.1",
        help="listen address: 127.0.0.1 (default), or 0.0.0.0 to serve a classroom network",
    )
    parser.add_argument("--app", type=Path, default=REPO / "app.py", help="the Streamlit app")
    parser.add_argument(
        "--log-dir", type=Path, help="keep replica, nginx and access logs here (default: temp)"
    )
    parser.add_argument("streamlit_args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.streamlit_args[:1] == ["--"]:
        args.streamlit_args = args.streamlit_args[1:]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    cluster = None
    try:
        cluster = Cluster(
            args.replicas, args.port, args.address, args.app, args.log_dir, args.streamlit_args
        )
        url = cluster.start()
        behind = f"{args.replicas} replicas behind nginx" if args.replicas > 1 else "1 replica"
        print(f"nnviz serving {url} ({behind}); Ctrl-C stops", flush=True)
        died = cluster.wait()
        print(
            f"{died.name} exited with code {died.process.returncode}; stopping:\n{died.log_tail()}",
            file=sys.stderr,
            flush=True,
        )
        return 1
    except _Stop:
        return 0
    except ServeError as err:
        print(f"nnviz.serve: {err}", file=sys.stderr, flush=True)
        return 1
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if cluster is not None:
            cluster.stop()
            print("nnviz.serve: stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
