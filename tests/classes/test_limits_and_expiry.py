"""Limits per class and per student, and classes that expire: on SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.classes import ClassError, ClassStore, Limits

RUN = {
    "steps": 10,
    "train_loss": 0.5,
    "test_loss": 0.5,
    "train_accuracy": 0.5,
    "test_accuracy": 0.5,
    "n_weights": 9,
}
IMAGE = np.zeros((28, 28), np.uint8)


def add(store, code, name):
    return store.add_drawing(code, name, IMAGE, 1, 1, 0.5)


def hand_in(store, code, name):
    return store.hand_in_run(code, name, "dataset=xor", **RUN)


# --- limits -------------------------------------------------------------------------------


def test_limits_are_exposed(small_store):
    new = small_store.create_class()
    small_store.join(new.code, "Ada")
    assert small_store.class_info(new.code).limits.students == 3
    assert small_store.summary(new.code).info.limits.drawings == 5
    status = small_store.student(new.code, "Ada")
    assert (status.limits.drawings_per_student, status.limits.runs_per_student) == (3, 2)


def test_a_server_keeps_at_most_so_many_classes_and_frees_room_as_they_go(db_url, clock):
    store = ClassStore(db_url, limits=Limits(classes=2), clock=clock)
    first, _ = store.create_class(), store.create_class()
    with pytest.raises(ClassError, match="already keeps 2 classes.*end 30 days after they start"):
        store.create_class()
    store.delete_class(first.code, first.teacher_key)
    store.create_class()  # a deleted class makes room
    clock.advance(days=31)
    store.create_class()  # so do expired ones: they are purged before the count
    store.create_class()


def test_a_full_class_refuses_one_more_student(small_store):
    new = small_store.create_class()
    for name in ["A", "B", "C"]:
        small_store.join(new.code, name)
    with pytest.raises(ClassError, match=rf"class {new.code} is full \(3 students\)"):
        small_store.join(new.code, "D")
    assert small_store.summary(new.code).students == 3


def test_drawings_per_student_and_per_class(small_store):
    new = small_store.create_class()
    for name in ["A", "B"]:
        small_store.join(new.code, name)
    for _ in range(3):
        add(small_store, new.code, "A")
    with pytest.raises(ClassError, match="A has stored 3 drawings, the most one student can"):
        add(small_store, new.code, "A")
    add(small_store, new.code, "B")
    add(small_store, new.code, "B")
    with pytest.raises(ClassError, match="is full: it holds at most 5 drawings"):
        add(small_store, new.code, "B")
    assert small_store.summary(new.code).drawings == 5


def test_removing_drawings_makes_room_again(small_store):
    new = small_store.create_class()
    small_store.join(new.code, "A")
    first = [add(small_store, new.code, "A") for _ in range(3)][0]
    small_store.remove_drawing(new.code, new.teacher_key, first)
    add(small_store, new.code, "A")
    assert small_store.student(new.code, "A").drawings == 3


def test_runs_per_student_and_per_class(small_store):
    new = small_store.create_class()
    for name in ["A", "B", "C"]:
        small_store.join(new.code, name)
    hand_in(small_store, new.code, "A")
    hand_in(small_store, new.code, "A")
    with pytest.raises(ClassError, match="A has stored 2 runs"):
        hand_in(small_store, new.code, "A")
    hand_in(small_store, new.code, "B")
    hand_in(small_store, new.code, "B")
    with pytest.raises(ClassError, match="at most 4 runs"):
        hand_in(small_store, new.code, "C")
    assert small_store.summary(new.code).runs == 4


def test_limits_of_one_class_do_not_touch_another(small_store):
    first, second = small_store.create_class(), small_store.create_class()
    for name in ["A", "B", "C"]:
        small_store.join(first.code, name)
    assert small_store.join(second.code, "A").nickname == "A"


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, None])
def test_limits_must_be_positive_whole_numbers(bad):
    with pytest.raises(ClassError, match="limit students must be a whole number"):
        Limits(students=bad)


# --- expiry -------------------------------------------------------------------------------


def test_a_class_lives_30_days_by_default(store, clock):
    new = store.create_class()
    store.join(new.code, "Ada")
    clock.advance(days=30, seconds=-1)
    add(store, new.code, "Ada")
    clock.advance(seconds=1)
    with pytest.raises(ClassError, match=rf"class {new.code} ended on .* \(classes last 30 days\)"):
        add(store, new.code, "Ada")


def test_an_expired_class_refuses_every_action_but_delete(store, clock):
    new = store.create_class()
    store.join(new.code, "Ada")
    clock.advance(days=31)
    actions = [
        lambda: store.class_info(new.code),
        lambda: store.summary(new.code),
        lambda: store.leaderboard(new.code),
        lambda: store.join(new.code, "Bo"),
        lambda: store.rejoin(new.code, "Ada", "key"),
        lambda: store.student(new.code, "Ada"),
        lambda: add(store, new.code, "Ada"),
        lambda: hand_in(store, new.code, "Ada"),
        lambda: store.check_teacher(new.code, new.teacher_key),
        lambda: store.drawings(new.code, new.teacher_key),
        lambda: store.runs(new.code, new.teacher_key),
        lambda: store.remove_drawing(new.code, new.teacher_key, 1),
        lambda: store.remove_student_drawings(new.code, new.teacher_key, "Ada"),
    ]
    for action in actions:
        with pytest.raises(ClassError, match="ended on"):
            action()
    with pytest.raises(ClassError, match="not the teacher link"):
        store.delete_class(new.code, "guess")
    store.delete_class(new.code, new.teacher_key)
    with pytest.raises(ClassError, match="there is no class"):
        store.class_info(new.code)


def test_expiry_days_are_configurable(db_url, clock):
    store = ClassStore(db_url, expire_days=1, clock=clock)
    new = store.create_class()
    assert (store.class_info(new.code).expires_at - store.class_info(new.code).created_at).days == 1
    clock.advance(days=1)
    with pytest.raises(ClassError, match=r"classes last 1 days"):
        store.class_info(new.code)


def test_purge_deletes_expired_classes_with_their_data(store, clock):
    old = store.create_class()
    store.join(old.code, "Ada")
    add(store, old.code, "Ada")
    hand_in(store, old.code, "Ada")
    clock.advance(days=20)
    young = store.create_class()
    clock.advance(days=11)
    assert store.purge_expired() == 1
    assert store.purge_expired() == 0
    with pytest.raises(ClassError, match="there is no class"):
        store.delete_class(old.code, old.teacher_key)
    assert store.class_info(young.code).code == young.code


def test_starting_a_class_purges_expired_ones(store, clock):
    old = store.create_class()
    clock.advance(days=45)
    store.create_class()
    with pytest.raises(ClassError, match="there is no class"):
        store.class_info(old.code)


@pytest.mark.parametrize("days", [0, -3, "30", None, True])
def test_bad_expiry_days_are_refused(db_url, days):
    with pytest.raises(ClassError, match="positive number of days"):
        ClassStore(db_url, expire_days=days)


def test_expiry_days_from_the_environment(db_url, monkeypatch):
    monkeypatch.setenv("NNVIZ_CLASS_DB", db_url)
    monkeypatch.setenv("NNVIZ_CLASS_DAYS", "7")
    assert ClassStore.from_env().expire_days == 7
    monkeypatch.setenv("NNVIZ_CLASS_DAYS", "a week")
    with pytest.raises(ClassError, match="NNVIZ_CLASS_DAYS must be a number of days"):
        ClassStore.from_env()
    monkeypatch.delenv("NNVIZ_CLASS_DAYS")
    assert ClassStore.from_env().expire_days == 30


def test_at_the_last_second_a_class_is_both_refused_and_purged(store, clock):
    new = store.create_class()
    clock.advance(days=30)
    with pytest.raises(ClassError, match="ended on"):
        store.class_info(new.code)
    assert store.purge_expired() == 1
