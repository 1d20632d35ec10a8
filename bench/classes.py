"""Class store under many writers: `python -m bench.classes [--db URL]` (prints figures).

Like a class of students each on their own server process: `--processes` writer processes
(spawned, so each has its own engine and connections, as separate servers would) wait at a
barrier, then each joins one class and adds `--drawings` drawings, one transaction each.
Prints rows written per second with one writer and with all of them. `--db` is a file path or
a `postgresql://` URL; the default is a fresh SQLite file in a temporary folder.
`tests/classes/test_concurrency.py` runs the same writers and checks that every row arrived.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import queue
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnviz.classes import ClassStore, Limits

BARRIER_SECONDS = 120.0


@dataclass
class WriterReport:
    """What the writers did: rows they say they wrote, wall time after the barrier, errors."""

    code: str
    teacher_key: str
    processes: int
    per_process: int
    rows: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def writer_image(writer: int, index: int) -> np.ndarray:
    """A drawing whose first pixels say who wrote it and which one it is (`writer_mark`)."""
    image = np.full((28, 28), 7, np.uint8)
    image[0, :3] = writer, *divmod(index, 256)
    return image


def writer_mark(image: np.ndarray) -> tuple[int, int]:
    """`(writer, index)` of a `writer_image`."""
    writer, high, low = image[0, :3].tolist()
    return writer, 256 * high + low


def writer_limits(processes: int, per_process: int) -> Limits:
    """The default limits, raised where the run needs more."""
    default = Limits()
    return Limits(
        students=max(default.students, processes),
        drawings=max(default.drawings, processes * per_process),
        drawings_per_student=max(default.drawings_per_student, per_process),
    )


def _write(url: str, code: str, writer: int, count: int, limits, barrier, results) -> None:
    written, error = 0, None
    try:
        store = ClassStore(url, limits=limits)
        barrier.wait(BARRIER_SECONDS)
        store.join(code, f"writer{writer}")
        for index in range(count):
            store.add_drawing(
                code, f"writer{writer}", writer_image(writer, index), index % 10, 0, 0.5
            )
            written += 1
    except Exception as exc:
        error = f"writer{writer}: {exc!r}"
    results.put((written, error))


def run_writers(url: str, processes: int = 30, per_process: int = 20) -> WriterReport:
    """Start `processes` writers into one new class on `url` and wait for all of them."""
    new = ClassStore(url).create_class()
    report = WriterReport(new.code, new.teacher_key, processes, per_process)
    limits = writer_limits(processes, per_process)
    context = mp.get_context("spawn")
    barrier = context.Barrier(processes + 1)
    results = context.Queue()
    workers = [
        context.Process(
            target=_write, args=(url, new.code, i, per_process, limits, barrier, results)
        )
        for i in range(processes)
    ]
    for worker in workers:
        worker.start()
    try:
        barrier.wait(BARRIER_SECONDS)
    except threading.BrokenBarrierError:
        dead = sum(worker.exitcode is not None for worker in workers)
        report.errors.append(f"the writers never all started ({dead} ended before the barrier)")
        for worker in workers:
            worker.kill()
        return report
    start = time.perf_counter()
    deadline = time.monotonic() + BARRIER_SECONDS
    for _ in workers:
        try:
            written, error = results.get(timeout=max(deadline - time.monotonic(), 1.0))
        except queue.Empty:
            report.errors.append("some writers never reported back")
            break
        report.rows += written
        if error:
            report.errors.append(error)
    report.seconds = time.perf_counter() - start
    for worker in workers:
        worker.join(BARRIER_SECONDS)
    return report


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="file path or postgresql:// URL (default: temp SQLite)")
    parser.add_argument("--processes", type=int, default=30)
    parser.add_argument("--drawings", type=int, default=20)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or str(Path(folder) / "classes.db")
        store = ClassStore(url)
        print(f"class store: {store.location}")
        for processes, per_process in [
            (1, args.processes * args.drawings),
            (args.processes, args.drawings),
        ]:
            report = run_writers(url, processes, per_process)
            stored = len(store.drawings(report.code, report.teacher_key))
            print(
                f"  {processes:3d} writer(s) × {per_process:4d}: {report.rows} rows written, "
                f"{stored} read back in {report.seconds:.2f} s = {report.rows_per_second:,.0f} "
                f"rows/s; errors: {len(report.errors)}"
            )
            for error in report.errors[:3]:
                print(f"    {error}")
            store.delete_class(report.code, report.teacher_key)


if __name__ == "__main__":
    main()
