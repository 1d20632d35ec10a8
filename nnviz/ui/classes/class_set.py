"""The teacher's copy of the class set, kept fresh cheaply: each refresh asks the store only for
the drawings added since the last one, and reads the set through the model only when it changed.

Removals show up as a count that no longer adds up (the summary's drawings per digit against
the copy's), and then the whole set is read again.
"""

from __future__ import annotations

from collections import Counter

from nnviz.classes import ClassStore, ClassSummary, read_class_set
from nnviz.digits import load_digit_model
from nnviz.ui.classes.state import CLASS_SET, ClassSet, Teacher


def current_class_set(store: ClassStore, teacher: Teacher, summary: ClassSummary) -> ClassSet:
    """The class set as the store holds it now (`summary` read just before), with the shipped
    model's reading of it."""
    cached = CLASS_SET.get()
    if cached is None or cached.code != teacher.code:
        cached = ClassSet(teacher.code, (), None)
    last = cached.drawings[-1].id if cached.drawings else 0
    drawings = cached.drawings + tuple(store.drawings(teacher.code, teacher.key, after_id=last))
    counted = Counter(d.label for d in drawings)
    if tuple(counted[digit] for digit in range(10)) != summary.drawings_per_digit:
        drawings = tuple(store.drawings(teacher.code, teacher.key))
    if [d.id for d in drawings] == [d.id for d in cached.drawings]:
        return cached
    reading = read_class_set(load_digit_model(), drawings) if drawings else None
    fresh = ClassSet(teacher.code, drawings, reading)
    CLASS_SET.set(fresh)
    return fresh


def forget_class_set() -> None:
    """Read the whole set again at the next refresh (after the teacher removed drawings)."""
    CLASS_SET.set(None)
