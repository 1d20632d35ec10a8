"""Every store action, on SQLite and on PostgreSQL (see conftest)."""

from __future__ import annotations

import numpy as np
import pytest
import sqlalchemy as sa

from nnviz.classes import ALPHABET, ClassError
from nnviz.classes.backend import database_url, get_engine, read_transaction
from nnviz.classes.schema import classes, drawings, runs, students

RUN = {
    "steps": 100,
    "train_loss": 0.2,
    "test_loss": 0.3,
    "train_accuracy": 0.9,
    "test_accuracy": 0.8,
    "n_weights": 33,
}


def digit_image(value: int) -> np.ndarray:
    image = np.zeros((28, 28), np.uint8)
    image[10:18, 12:16] = value
    return image


def rows_of(store_url: str, table: sa.Table) -> list[sa.Row]:
    with read_transaction(get_engine(database_url(store_url))) as connection:
        return connection.execute(sa.select(table)).all()


@pytest.fixture
def room(store):
    """A class with two students, Ada and Bo: `(new_class, store)`."""
    new = store.create_class("xor-learns")
    store.join(new.code, "Ada")
    store.join(new.code, "Bo")
    return new


# --- classes ------------------------------------------------------------------------------


def test_create_class_gives_a_readable_code_and_a_long_key(store):
    new = store.create_class()
    assert len(new.code) == 6 and set(new.code) <= set(ALPHABET)
    assert len(new.teacher_key) >= 40
    code, key = new  # unpacks like the (code, teacher_key) pair it is
    assert (code, key) == (new.code, new.teacher_key)
    info = store.class_info(code)
    assert info.code == code and info.lesson is None
    assert (info.expires_at - info.created_at).days == 30


def test_each_class_gets_its_own_code_and_key(store):
    made = [store.create_class() for _ in range(20)]
    assert len({m.code for m in made}) == 20
    assert len({m.teacher_key for m in made}) == 20


def test_lesson_is_kept_and_checked(store):
    assert store.class_info(store.create_class("mnist-adam").code).lesson == "mnist-adam"
    for bad in ["", "Has Spaces", "x" * 41, 3, "-leading"]:
        with pytest.raises(ClassError, match="lesson"):
            store.create_class(bad)


def test_codes_are_forgiving_about_case_and_spaces(store, room):
    code = room.code
    typed = f" {code[:3].lower()} {code[3:].lower()} "
    assert store.class_info(typed).code == code
    assert store.summary(f"{code[:3]}-{code[3:]}").info.code == code


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("ABC12", "is not a class code"),
        ("ABCD234", "is not a class code"),
        ("ABO234", r"contains 'O'"),
        ("AB0234", r"contains '0'"),
        ("AB1234", r"contains '1'"),
        ("", "type the class code"),
        (None, "is text"),
    ],
)
def test_bad_codes_are_refused_with_a_reason(store, typed, message):
    with pytest.raises(ClassError, match=message):
        store.class_info(typed)


def test_unknown_class_says_so(store):
    with pytest.raises(ClassError, match="there is no class ABC234"):
        store.join("ABC234", "Ada")


def test_teacher_key_opens_only_its_own_class(store):
    first, second = store.create_class(), store.create_class()
    assert store.check_teacher(first.code, first.teacher_key).code == first.code
    for key in [second.teacher_key, first.teacher_key[:-1], "", None, 42, "x" * 1000]:
        with pytest.raises(ClassError, match="not the teacher link"):
            store.check_teacher(first.code, key)


def test_the_database_keeps_only_a_hash_of_the_teacher_key(store, db_url):
    new = store.create_class()
    (row,) = rows_of(db_url, classes)
    assert new.teacher_key not in [str(value) for value in row]
    assert len(row.teacher_key_hash) == 64


def test_summary_counts_students_drawings_per_digit_and_runs(store, room):
    for label in [3, 3, 7]:
        store.add_drawing(room.code, "Ada", digit_image(200), label, label, 0.9)
    store.hand_in_run(room.code, "Bo", "dataset=xor", **RUN)
    summary = store.summary(room.code)
    assert summary.nicknames == ("Ada", "Bo")
    assert summary.students == 2
    assert summary.drawings_per_digit == (0, 0, 0, 2, 0, 0, 0, 1, 0, 0)
    assert summary.drawings == 3 and summary.runs == 1
    assert summary.info.lesson == "xor-learns"
    assert room.teacher_key not in repr(summary) + repr(summary.info)


def test_delete_class_needs_the_key_and_removes_everything(store, room, db_url):
    other = store.create_class()
    store.join(other.code, "Cy")
    store.add_drawing(other.code, "Cy", digit_image(9), 1, 1, 0.5)
    store.add_drawing(room.code, "Ada", digit_image(9), 1, 1, 0.5)
    store.hand_in_run(room.code, "Ada", "dataset=xor", **RUN)

    with pytest.raises(ClassError, match="not the teacher link"):
        store.delete_class(room.code, other.teacher_key)
    assert store.summary(room.code).drawings == 1

    store.delete_class(room.code, room.teacher_key)
    with pytest.raises(ClassError, match="there is no class"):
        store.summary(room.code)
    for table in (students, drawings, runs):
        assert {r.class_code for r in rows_of(db_url, table)} <= {other.code}
    assert store.summary(other.code).drawings == 1


# --- students -----------------------------------------------------------------------------


def test_join_strips_the_nickname_and_returns_a_key(store, room):
    student = store.join(room.code, "  Cy Young \t")
    assert student.nickname == "Cy Young"
    assert len(student.key) >= 40
    assert "Cy Young" in store.summary(room.code).nicknames


@pytest.mark.parametrize("taken", ["Ada", "ada", " ADA ", "bo"])
def test_nicknames_are_unique_ignoring_case(store, room, taken):
    with pytest.raises(ClassError, match="is taken"):
        store.join(room.code, taken)


def test_nicknames_compare_after_unicode_normalization(store, room):
    store.join(room.code, "Zo\u00eb")  # ë as one code point
    with pytest.raises(ClassError, match="is taken"):
        store.join(room.code, "Zoe\u0308")  # e + combining diaeresis


def test_same_nickname_in_another_class_is_fine(store, room):
    other = store.create_class()
    assert store.join(other.code, "Ada").nickname == "Ada"


@pytest.mark.parametrize("name", ["x", "y" * 24, "Ünïcødé 名前", "🙂 smile", "a-b_c.d!"])
def test_good_nicknames_are_accepted(store, room, name):
    assert store.join(room.code, name).nickname == name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "pick a nickname"),
        ("   ", "pick a nickname"),
        ("z" * 25, "at most 24"),
        ("line\nbreak", "control or invisible"),
        ("nul\x00", "control or invisible"),
        ("zero\u200bwidth", "control or invisible"),
        ("bell\x07", "control or invisible"),
        (None, "is text"),
        (12, "is text"),
    ],
)
def test_bad_nicknames_are_refused(store, room, name, message):
    with pytest.raises(ClassError, match=message):
        store.join(room.code, name)
    assert store.summary(room.code).students == 2


def test_rejoin_needs_the_students_own_key(store, room):
    cy = store.join(room.code, "Cy")
    dee = store.join(room.code, "Dee")
    assert store.rejoin(room.code, "cy", cy.key) == "Cy"
    for key in [dee.key, "", None, cy.key + "x", room.teacher_key]:
        with pytest.raises(ClassError, match="is taken"):
            store.rejoin(room.code, "Cy", key)
    with pytest.raises(ClassError, match="join first"):
        store.rejoin(room.code, "Eve", cy.key)


def test_student_status_counts_own_entries(store, room):
    store.add_drawing(room.code, "Ada", digit_image(5), 4, 4, 0.9)
    store.add_drawing(room.code, "Ada", digit_image(5), 5, 4, 0.6)
    store.hand_in_run(room.code, "Ada", "dataset=xor", **RUN)
    store.add_drawing(room.code, "Bo", digit_image(5), 5, 5, 0.6)
    status = store.student(room.code, "ada")
    assert (status.nickname, status.drawings, status.runs) == ("Ada", 2, 1)
    assert status.limits == store.limits
    with pytest.raises(ClassError, match="join first"):
        store.student(room.code, "Nobody")


# --- drawings -----------------------------------------------------------------------------


def test_uint8_drawings_are_stored_exactly(store, room, clock):
    image = np.random.default_rng(0).integers(0, 256, (28, 28), dtype=np.uint8)
    drawing_id = store.add_drawing(room.code, "ada", image, 8, 3, 0.25)
    (drawing,) = store.drawings(room.code, room.teacher_key)
    assert drawing.id == drawing_id
    assert drawing.nickname == "Ada"
    np.testing.assert_array_equal(drawing.image, image)
    assert drawing.image.dtype == np.uint8 and not drawing.image.flags.writeable
    assert (drawing.label, drawing.prediction, drawing.confidence) == (8, 3, 0.25)
    assert drawing.misread
    assert drawing.created_at.timestamp() == clock.now


@pytest.mark.parametrize("shape", [(28, 28), (784,), (1, 784)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_drawings_become_mnist_bytes(store, room, shape, dtype):
    pixels = np.random.default_rng(1).random((28, 28))
    pixels[0, :3] = [0.0, 1.0, 0.5]
    store.add_drawing(room.code, "Ada", pixels.astype(dtype).reshape(shape), 2, 2, 1.0)
    (drawing,) = store.drawings(room.code, room.teacher_key)
    np.testing.assert_array_equal(
        drawing.image, np.rint(pixels.astype(dtype).astype(np.float64) * 255).astype(np.uint8)
    )
    assert drawing.image[0, :3].tolist() == [0, 255, 128]
    assert not drawing.misread


@pytest.mark.parametrize(
    ("image", "message"),
    [
        (np.zeros((28, 27), np.uint8), "28×28"),
        (np.zeros((3, 28, 28), np.uint8), "28×28"),
        (np.zeros((2, 392), np.uint8), "28×28"),
        (np.zeros(785, np.uint8), "28×28"),
        ([[0] * 28] * 28, "NumPy array"),
        (np.zeros((28, 28), np.int64), "uint8 or floats"),
        (np.zeros((28, 28), bool), "uint8 or floats"),
        (np.full((28, 28), np.nan), "finite"),
        (np.full((28, 28), 1.5), r"\[0, 1\]"),
        (np.full((28, 28), -0.1), r"\[0, 1\]"),
    ],
)
def test_bad_images_are_refused(store, room, image, message):
    with pytest.raises(ClassError, match=message):
        store.add_drawing(room.code, "Ada", image, 1, 1, 0.5)
    assert store.summary(room.code).drawings == 0


@pytest.mark.parametrize("field", ["label", "prediction"])
@pytest.mark.parametrize("value", [-1, 10, 3.0, True, "3", None, np.float32(2)])
def test_digits_must_be_0_to_9(store, room, field, value):
    args = {"label": 1, "prediction": 1, "confidence": 0.5, field: value}
    with pytest.raises(ClassError, match=f"{field} must be a digit"):
        store.add_drawing(room.code, "Ada", digit_image(1), **args)


def test_numpy_integer_digits_are_fine(store, room):
    store.add_drawing(room.code, "Ada", digit_image(1), np.int64(7), np.uint8(1), np.float32(0.5))
    (drawing,) = store.drawings(room.code, room.teacher_key)
    assert (drawing.label, drawing.prediction) == (7, 1)


@pytest.mark.parametrize("confidence", [-0.01, 1.01, float("nan"), float("inf"), "0.5", None])
def test_confidence_must_be_a_probability(store, room, confidence):
    with pytest.raises(ClassError, match="confidence"):
        store.add_drawing(room.code, "Ada", digit_image(1), 1, 1, confidence)


def test_only_joined_students_add_drawings(store, room):
    with pytest.raises(ClassError, match="nobody called 'Eve'.*join first"):
        store.add_drawing(room.code, "Eve", digit_image(1), 1, 1, 0.5)


def test_drawings_after_an_id_are_only_the_newer_ones(store, room):
    ids = [store.add_drawing(room.code, "Ada", digit_image(i), i, i, 0.5) for i in range(4)]
    newer = store.drawings(room.code, room.teacher_key, after_id=ids[1])
    assert [d.id for d in newer] == ids[2:]
    assert [d.label for d in newer] == [2, 3]


def test_only_the_teacher_lists_drawings(store, room):
    joined = store.join(room.code, "Cy")
    for key in [joined.key, "", "wrong"]:
        with pytest.raises(ClassError, match="not the teacher link"):
            store.drawings(room.code, key)


def test_teacher_removes_one_drawing(store, room):
    keep = store.add_drawing(room.code, "Ada", digit_image(1), 1, 1, 0.5)
    drop = store.add_drawing(room.code, "Bo", digit_image(2), 2, 2, 0.5)
    with pytest.raises(ClassError, match="not the teacher link"):
        store.remove_drawing(room.code, "guess", drop)
    store.remove_drawing(room.code, room.teacher_key, drop)
    assert [d.id for d in store.drawings(room.code, room.teacher_key)] == [keep]
    with pytest.raises(ClassError, match=f"no drawing #{drop}"):
        store.remove_drawing(room.code, room.teacher_key, drop)


def test_a_teacher_cannot_remove_another_class_drawing(store, room):
    other = store.create_class()
    store.join(other.code, "Cy")
    theirs = store.add_drawing(other.code, "Cy", digit_image(1), 1, 1, 0.5)
    with pytest.raises(ClassError, match="no drawing"):
        store.remove_drawing(room.code, room.teacher_key, theirs)
    assert store.summary(other.code).drawings == 1


def test_teacher_removes_all_of_one_students_drawings(store, room):
    for i in range(3):
        store.add_drawing(room.code, "Ada", digit_image(i), i, i, 0.5)
    bo = store.add_drawing(room.code, "Bo", digit_image(4), 4, 4, 0.5)
    with pytest.raises(ClassError, match="not the teacher link"):
        store.remove_student_drawings(room.code, "", "Ada")
    assert store.remove_student_drawings(room.code, room.teacher_key, "ADA") == 3
    assert [d.id for d in store.drawings(room.code, room.teacher_key)] == [bo]
    assert store.remove_student_drawings(room.code, room.teacher_key, "Ada") == 0
    with pytest.raises(ClassError, match="join first"):
        store.remove_student_drawings(room.code, room.teacher_key, "Nobody")


# --- runs ---------------------------------------------------------------------------------


def test_hand_in_run_stores_every_figure(store, room):
    run_id = store.hand_in_run(room.code, "Bo", "dataset=xor&lr=0.03&hidden=4,4", **RUN)
    (run,) = store.runs(room.code, room.teacher_key)
    assert run.id == run_id and run.nickname == "Bo"
    assert run.link == "dataset=xor&lr=0.03&hidden=4,4"
    assert (run.steps, run.n_weights) == (100, 33)
    assert (run.train_loss, run.test_loss, run.train_accuracy, run.test_accuracy) == (
        0.2,
        0.3,
        0.9,
        0.8,
    )


def test_runs_without_a_test_split_or_accuracy_are_accepted(store, room):
    figures = {**RUN, "test_loss": None, "train_accuracy": None, "test_accuracy": None}
    store.hand_in_run(room.code, "Bo", "dataset=plane", **figures)
    (run,) = store.leaderboard(room.code)
    assert run.test_accuracy is None and run.test_loss is None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"link": ""}, "needs its link"),
        ({"link": None}, "needs its link"),
        ({"link": "has space"}, "spaces or control"),
        ({"link": "a=1\nb=2"}, "spaces or control"),
        ({"link": "a=" + "1" * 2000}, "at most 2000"),
        ({"steps": 0}, "steps must be a whole number"),
        ({"steps": 2.5}, "steps must be a whole number"),
        ({"n_weights": 0}, "weights must be a whole number"),
        ({"test_accuracy": 1.2}, "test accuracy must lie between 0 and 1"),
        ({"train_accuracy": -0.1}, "train accuracy must lie"),
        ({"train_loss": -1.0}, "train loss cannot be negative"),
        ({"test_loss": float("nan")}, "test loss must be a finite"),
        ({"test_loss": "low"}, "test loss must be a number"),
    ],
)
def test_bad_runs_are_refused(store, room, change, message):
    args = {"link": "dataset=xor", **RUN, **change}
    with pytest.raises(ClassError, match=message):
        store.hand_in_run(room.code, "Bo", **args)
    assert store.summary(room.code).runs == 0


def test_only_joined_students_hand_in_runs(store, room):
    with pytest.raises(ClassError, match="join first"):
        store.hand_in_run(room.code, "Eve", "dataset=xor", **RUN)


def test_leaderboard_best_accuracy_then_fewer_weights_then_earlier(store, room, clock):
    for name in ["Cy", "Dee", "Eve"]:
        store.join(room.code, name)

    def hand_in(name, accuracy, weights):
        clock.advance(seconds=1)
        return store.hand_in_run(
            room.code,
            name,
            f"by={name}",
            **{**RUN, "test_accuracy": accuracy, "n_weights": weights},
        )

    hand_in("Ada", 0.90, 50)
    hand_in("Bo", 0.95, 80)
    hand_in("Cy", 0.90, 20)  # ties Ada on accuracy, fewer weights
    hand_in("Dee", 0.90, 50)  # ties Ada on both, later
    hand_in("Eve", None, 5)
    board = store.leaderboard(room.code)
    assert [r.nickname for r in board] == ["Bo", "Cy", "Ada", "Dee", "Eve"]
    assert [r.nickname for r in store.leaderboard(room.code, limit=2)] == ["Bo", "Cy"]


def test_leaderboard_shows_each_students_best_run_once(store, room, clock):
    def hand_in(name, accuracy, weights=30):
        clock.advance(seconds=1)
        return store.hand_in_run(
            room.code, name, "x=1", **{**RUN, "test_accuracy": accuracy, "n_weights": weights}
        )

    hand_in("Ada", 0.70)
    best = hand_in("Ada", 0.85, weights=40)
    smaller = hand_in("Ada", 0.85, weights=10)
    hand_in("Ada", 0.60)
    bo = hand_in("Bo", 0.80)
    board = store.leaderboard(room.code)
    assert [(r.nickname, r.id) for r in board] == [("Ada", smaller), ("Bo", bo)]
    assert best != smaller
    every = store.runs(room.code, room.teacher_key)
    assert len(every) == 5
    assert [r.test_accuracy for r in every] == [0.85, 0.85, 0.80, 0.70, 0.60]
    with pytest.raises(ClassError, match="not the teacher link"):
        store.runs(room.code, "guess")


@pytest.mark.parametrize("bad", [0, -1, "1", 1.0, True, None])
def test_drawing_ids_are_whole_numbers(store, room, bad):
    with pytest.raises(ClassError, match="drawing id must be a whole number"):
        store.remove_drawing(room.code, room.teacher_key, bad)
    if bad is not None and bad != 0:
        with pytest.raises(ClassError, match="drawing id must be a whole number"):
            store.drawings(room.code, room.teacher_key, after_id=bad)


@pytest.mark.parametrize("bad", [0, -3, "5", 2.0])
def test_leaderboard_length_is_a_positive_whole_number(store, room, bad):
    with pytest.raises(ClassError, match="leaderboard length"):
        store.leaderboard(room.code, limit=bad)


@pytest.mark.parametrize("name", ["", "x" * 25, "tab\there"])
def test_student_actions_check_the_nickname_first(store, room, name):
    with pytest.raises(ClassError, match="nickname"):
        store.add_drawing(room.code, name, digit_image(1), 1, 1, 0.5)
    with pytest.raises(ClassError, match="nickname"):
        store.hand_in_run(room.code, name, "dataset=xor", **RUN)
    with pytest.raises(ClassError, match="nickname"):
        store.remove_student_drawings(room.code, room.teacher_key, name)
