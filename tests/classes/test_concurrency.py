"""30 server processes write into one class at once: every row arrives, none is lost or torn.

Runs on SQLite (WAL, busy timeout, `BEGIN IMMEDIATE`) and on PostgreSQL. The rows/s figures are
printed, never asserted; `python -m bench.classes` measures them on their own.
"""

from __future__ import annotations

from collections import Counter

from bench.classes import run_writers, writer_image, writer_mark
from nnviz.classes import ClassStore

PROCESSES, PER_PROCESS = 30, 20


def test_thirty_writer_processes_lose_nothing(db_url, capsys):
    report = run_writers(db_url, PROCESSES, PER_PROCESS)
    store = ClassStore(db_url)
    stored = store.drawings(report.code, report.teacher_key)
    with capsys.disabled():
        print(
            f"\n[{store.backend}] {PROCESSES} processes × {PER_PROCESS} drawings: {len(stored)} "
            f"rows in {report.seconds:.2f} s = {report.rows_per_second:,.0f} rows/s"
        )

    assert not [e for e in report.errors if "locked" in e], report.errors
    assert report.errors == []
    assert report.rows == len(stored) == PROCESSES * PER_PROCESS
    marks = [writer_mark(d.image) for d in stored]
    assert sorted(marks) == [(w, i) for w in range(PROCESSES) for i in range(PER_PROCESS)]
    for drawing, (writer, index) in zip(stored, marks, strict=True):
        assert drawing.nickname == f"writer{writer}"
        assert drawing.label == index % 10
        assert (drawing.image == writer_image(writer, index)).all()
    summary = store.summary(report.code)
    assert summary.students == PROCESSES
    assert summary.drawings_per_digit == (PROCESSES * PER_PROCESS // 10,) * 10
    assert Counter(d.nickname for d in stored) == {f"writer{w}": PER_PROCESS for w in range(30)}
