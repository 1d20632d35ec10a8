"""The Class page and the class buttons on the other pages, under AppTest with a class database
of each test's own (`class_db` in conftest)."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest

from nnviz.classes import ClassStore
from nnviz.digits import load_digit_model, load_digit_sample
from nnviz.playground import RunConfig
from nnviz.ui.classes import banner as banner_module
from nnviz.ui.classes.state import Member
from tests.app.conftest import live_charts
from tests.app.test_mnist_pages import ONE, draw

CLASS, DRAW, PLAYGROUND, COMPARE, CLASSROOM = (
    "pages/class.py",
    "pages/draw_digit.py",
    "pages/playground.py",
    "pages/compare.py",
    "pages/classroom.py",
)


@pytest.fixture
def store(class_db) -> ClassStore:
    """The same database the app uses, opened by the test."""
    return ClassStore(class_db)


def texts(at) -> str:
    kinds = ("markdown", "caption", "info", "error", "success", "warning", "subheader", "title")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def banner(at) -> str | None:
    shown = [m.value for m in at.markdown if "badge[:material/groups: class" in m.value]
    return shown[0] if shown else None


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def query(at) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def join(at, nickname: str, code: str | None = None):
    """Fill in the join form on the Class page and submit it."""
    if code is not None:
        at.text_input(key="cls.join_code").set_value(code)
    at.text_input(key="cls.nickname").set_value(nickname)
    at.button(key="FormSubmitter:cls.join_form-Join").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def joined_on(open_page, store, page: str, nickname: str = "anna"):
    """A class started in the store, joined through its link, then `page` opened."""
    new = store.create_class()
    at = join(open_page(CLASS, {"class": new.code}), nickname)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at, new


def sample_drawings(store, code: str, nickname: str, n: int) -> list[int]:
    """`n` real digits from the shipped sample, added as `nickname`'s drawings (the shipped
    model's reading as their prediction)."""
    digits = load_digit_sample()
    model = load_digit_model()
    ids = []
    for i in range(n):
        image = digits.images[i]
        p = model.predict_proba(image.reshape(1, -1) / 255.0)[0]
        label = int(digits.y[i])
        ids.append(store.add_drawing(code, nickname, image, label, int(p.argmax()), float(p.max())))
    return ids


# --- the Class page's states --------------------------------------------------------------


def test_without_a_class_the_page_offers_to_start_one_or_join_one(open_page):
    at = open_page(CLASS)
    assert [s.value for s in at.subheader] == ["Start a class", "Join a class"]
    assert banner(at) is None and "class" not in query(at)


def test_starting_a_class_opens_the_teacher_view_with_code_qr_and_links(open_page, store):
    at = open_page(CLASS)
    at.selectbox(key="cls.lesson").set_value("xor-learns")
    at.button(key="cls.start").click().run()
    assert not at.exception
    params = query(at)
    code, key = params["class"], params["teacher"]
    assert len(code) == 6 and len(key) >= 40
    assert store.check_teacher(code, key).lesson == "xor-learns"
    assert code in [m.value for m in at.markdown]  # the big code
    links = [c.value for c in at.code]
    assert f"http://localhost:8501/class?class={code}" in links
    assert any(f"teacher={key}" in link for link in links)
    warnings = " ".join(w.value.lower() for w in at.warning)
    assert "keep it to yourself" in warnings
    assert "only on this computer" in warnings  # a localhost join link reaches nobody else
    assert [i.captions for i in at.get("image")] == [["Scan to join"]]  # the join QR code
    assert "class " + code in banner(at) and "teacher" in banner(at)
    assert metrics(at)["Students"] == "0 / 60"
    assert "No drawings yet" in at.info[0].value


def test_a_server_that_keeps_the_most_classes_refuses_one_more_and_says_why(open_page, store):
    for _ in range(store.limits.classes):
        store.create_class()
    at = open_page(CLASS)
    at.button(key="cls.start").click().run()
    assert not at.exception
    assert f"already keeps {store.limits.classes} classes" in at.error[0].value
    assert "teacher" not in query(at)


def test_the_teacher_link_shows_drawings_reading_and_leaderboard_live(open_page, store):
    new = store.create_class()
    at = open_page(CLASS, {"class": new.code, "teacher": new.teacher_key})
    assert metrics(at)["Drawings"] == "0 / 3,000"
    assert banner(at).endswith(f"class {new.code} · teacher]")
    store.join(new.code, "anna")
    ids = sample_drawings(store, new.code, "anna", 12)
    at.run()  # one refresh of the live view (a fragment runs once per run under AppTest)
    assert metrics(at)["Students"] == "1 / 60"
    assert metrics(at)["Drawings"] == "12 / 3,000"
    reading = at.session_state["cls:class_set"].reading
    assert list(reading.ids) == ids
    assert metrics(at)["Shipped model on your class"] == f"{reading.report.accuracy:.1%}"
    charts = live_charts(at)
    assert {"cls.chart.gallery", "cls.chart.confusion", "cls.chart.hardest"} <= set(charts)
    confusion = charts["cls.chart.confusion"]["data"][0]
    assert "#" + str(ids[0]) in " ".join(charts["cls.chart.gallery"]["data"][1]["hovertext"])
    assert confusion["type"] == "heatmap"

    more = sample_drawings(store, new.code, "anna", 1)  # refreshes fetch only what is new
    at.run()
    assert list(at.session_state["cls:class_set"].reading.ids) == ids + more

    store.hand_in_run(
        new.code,
        "anna",
        "playground?dataset=moons&hidden=6",
        steps=40,
        train_loss=0.2,
        test_loss=0.25,
        train_accuracy=0.95,
        test_accuracy=0.9,
        n_weights=25,
    )
    at.run()
    board = at.dataframe[0].value
    assert board["nickname"].tolist() == ["anna"]
    assert board["run"].tolist() == ["playground?dataset=moons&hidden=6"]
    assert board["test accuracy"].tolist() == [0.9]


def test_a_wrong_teacher_key_is_refused_and_the_class_can_still_be_joined(open_page, store):
    new = store.create_class()
    at = open_page(CLASS, {"class": new.code, "teacher": "x" * 43})
    assert "not the teacher link" in at.error[0].value
    assert "teacher" not in query(at) and at.session_state["cls:teacher"] is None
    assert at.subheader[0].value == f"Join class {new.code}"
    assert not [m for m in at.metric if m.label == "Students"]


def test_a_student_joins_by_link_sees_their_limits_and_the_banner(open_page, store):
    new = store.create_class("xor-learns")
    at = open_page(CLASS, {"class": new.code})
    assert at.subheader[0].value == f"Join class {new.code}"
    assert "not joined" in banner(at)
    join(at, "  Anna  ")
    assert at.subheader[0].value == f"You are Anna in class {new.code}"
    assert "Welcome" in at.success[0].value
    assert metrics(at) == {"Your drawings": "0 / 200", "Your runs handed in": "0 / 50"}
    assert banner(at).endswith(f"class {new.code} · Anna]")
    assert store.summary(new.code).nicknames == ("Anna",)
    lesson = [p for p in at.get("page_link") if "challenge" in p.proto.label.lower()]
    assert lesson and "xor-learns" in lesson[0].proto.query_string

    at.button(key="cls.leave").click().run()  # leave, then take the same nickname back
    assert banner(at) is None and "class" not in query(at)
    join(at, "anna", new.code)
    assert at.subheader[0].value == f"You are Anna in class {new.code}"

    other = join(open_page(CLASS, {"class": new.code}), "ANNA")  # another browser session
    assert "taken" in other.error[0].value
    assert store.summary(new.code).students == 1


class TabMemory:
    """Stands in for the browser tab's memory (a component: AppTest runs no JavaScript)."""

    def __init__(self, kept: str | None = None) -> None:
        self.kept = kept
        self.calls: list[tuple[Member | None, bool]] = []

    def __call__(self, joined, forget, key):
        self.calls.append((joined, forget))
        return self.kept


def test_the_tab_keeps_the_student_who_joined_and_forgets_one_who_left(
    open_page, store, monkeypatch
):
    memory = TabMemory()
    monkeypatch.setattr(banner_module, "remembered_student", memory)
    new = store.create_class()
    at = join(open_page(CLASS, {"class": new.code}), "Anna")
    joined, forget = memory.calls[-1]
    assert (joined.nickname, joined.code, forget) == ("Anna", new.code, False)
    assert joined.key == at.session_state["cls:member"].key
    at.button(key="cls.leave").click().run()
    assert memory.calls[-1] == (None, True)  # the page that says "you left" (no class in it)


def test_a_reloaded_tab_takes_the_nickname_back(open_page, store, monkeypatch):
    new = store.create_class()
    first = join(open_page(CLASS, {"class": new.code}), "Anna")
    key = first.session_state["cls:member"].key
    monkeypatch.setattr(banner_module, "remembered_student", TabMemory(f"{new.code}.{key}.Anna"))
    reloaded = open_page(PLAYGROUND, {"class": new.code})  # a new session in the same tab
    assert banner(reloaded).endswith(f"class {new.code} · Anna]")
    reloaded.switch_page(CLASS).run()
    assert reloaded.subheader[0].value == f"You are Anna in class {new.code}"
    assert store.summary(new.code).students == 1


@pytest.mark.parametrize("kept", ["{code}." + "x" * 43 + ".Anna", "no-dot-here", "{code}..Anna"])
def test_a_tab_memory_that_does_not_fit_is_forgotten_and_says_why(
    open_page, store, monkeypatch, kept
):
    new = store.create_class()
    join(open_page(CLASS, {"class": new.code}), "Anna")
    memory = TabMemory(kept.format(code=new.code))
    monkeypatch.setattr(banner_module, "remembered_student", memory)
    at = open_page(CLASS, {"class": new.code})
    assert not at.exception
    assert "not joined" in banner(at) and at.session_state["cls:member"] is None
    assert at.subheader[0].value == f"Join class {new.code}"
    assert at.error, "the join form says why the nickname was not taken back"
    at.run()
    assert memory.calls[-1] == (None, True)  # and the tab is told to forget it


def test_a_tab_that_keeps_a_student_of_another_class_joins_nobody(open_page, store, monkeypatch):
    other, new = store.create_class(), store.create_class()
    first = join(open_page(CLASS, {"class": other.code}), "Anna")
    kept = f"{other.code}.{first.session_state['cls:member'].key}.Anna"
    monkeypatch.setattr(banner_module, "remembered_student", TabMemory(kept))
    at = open_page(CLASS, {"class": new.code})
    assert "not joined" in banner(at) and not at.error


def test_a_nickname_is_shown_as_typed_never_as_markdown(open_page, store):
    new = store.create_class()
    at = join(open_page(CLASS, {"class": new.code}), "[x](http://e.org)")
    assert "\\[x\\]\\(http\\:" in banner(at)


@pytest.mark.parametrize(
    ("code", "message"),
    [("0O1IL5", "not a class code"), ("ABC234", "there is no class ABC234")],
)
def test_a_bad_or_unknown_code_says_so_and_offers_start_and_join(open_page, code, message):
    at = open_page(CLASS, {"class": code})
    assert message in at.error[0].value.replace("\\", "")
    assert [s.value for s in at.subheader] == ["Start a class", "Join a class"]
    assert "class" not in query(at)
    at.run()
    assert banner(at) is None  # the session no longer follows it


def test_typing_a_bad_code_in_the_join_box_says_what_is_wrong(open_page, store):
    at = join(open_page(CLASS), "anna", "AB")
    assert "codes have 6 characters" in at.error[0].value.replace("\\", "")


def test_an_expired_class_says_when_it_ended(open_page, class_db):
    month_ago = time.time() - 31 * 86_400
    old = ClassStore(class_db, clock=lambda: month_ago).create_class()
    at = open_page(CLASS, {"class": old.code, "teacher": old.teacher_key})
    assert "ended on" in at.error[0].value and "new class" in at.error[0].value
    assert [s.value for s in at.subheader] == ["Start a class", "Join a class"]


def test_a_full_class_refuses_one_more_student(open_page, store):
    new = store.create_class()
    for i in range(store.limits.students):
        store.join(new.code, f"student {i}")
    at = join(open_page(CLASS, {"class": new.code}), "late")
    assert f"is full ({store.limits.students} students)" in at.error[0].value.replace("\\", "")
    assert at.session_state["cls:member"] is None


# --- the teacher's tools ------------------------------------------------------------------


def teacher_page(open_page, store, drawings: int):
    new = store.create_class()
    store.join(new.code, "anna")
    store.join(new.code, "ben")
    ids = sample_drawings(store, new.code, "anna", drawings)
    sample_drawings(store, new.code, "ben", 2)
    return open_page(CLASS, {"class": new.code, "teacher": new.teacher_key}), new, ids


def test_the_teacher_removes_one_drawing_and_all_of_a_students(open_page, store):
    at, new, ids = teacher_page(open_page, store, 3)
    at.number_input(key="cls.remove_id").set_value(ids[1])
    at.button(key="cls.remove").click().run()
    assert f"#{ids[1]} is removed" in at.success[0].value.replace("\\", "")
    assert metrics(at)["Drawings"] == "4 / 3,000"
    assert ids[1] not in at.session_state["cls:class_set"].reading.ids

    at.selectbox(key="cls.remove_nickname").set_value("ben").run()
    at.button(key="cls.remove_all").click().run()
    assert "Removed 2 drawing(s) of ben" in at.success[0].value
    assert [d.nickname for d in store.drawings(new.code, new.teacher_key)] == ["anna", "anna"]

    at.button(key="cls.remove").click().run()  # the same number again
    assert "has no drawing" in at.error[0].value


def test_the_class_set_downloads_are_offered_as_idx_zip_and_csv(open_page, store):
    at, new, _ = teacher_page(open_page, store, 1)
    names = [b.proto.label for b in at.get("download_button")]
    assert names == ["Images (IDX .gz)", "Labels (IDX .gz)", "Both and the CSV (.zip)", "CSV"]


def test_fine_tuning_on_part_of_the_class_set_scores_both_models_on_the_rest(open_page, store):
    at, _, _ = teacher_page(open_page, store, 18)
    at.button(key="cls.tune").click().run()
    assert not at.exception
    tuning = at.session_state["cls:tuning"]
    assert tuning.trained + tuning.held_out == 20 and tuning.held_out > 0
    shown = metrics(at)
    assert shown["Shipped model on the rest"] == f"{tuning.result.check_before:.1%}"
    assert shown["Fine-tuned copy on the rest"] == f"{tuning.result.check_after:.1%}"


def test_fine_tuning_waits_for_enough_drawings(open_page, store):
    at, _, _ = teacher_page(open_page, store, 0)
    assert at.button(key="cls.tune").disabled
    assert "Needs at least 4 drawings" in texts(at)


def test_deleting_the_class_needs_a_confirmation_and_removes_everything(open_page, store):
    at, new, _ = teacher_page(open_page, store, 2)
    assert at.button(key="cls.delete").disabled
    at.checkbox(key="cls.delete_sure").check().run()
    at.button(key="cls.delete").click().run()
    assert "is deleted" in at.success[0].value
    assert query(at) == {} and banner(at) is None
    assert [s.value for s in at.subheader] == ["Start a class", "Join a class"]
    with pytest.raises(ValueError, match="there is no class"):
        store.class_info(new.code)


def test_the_projector_view_shows_the_code_and_who_joined_without_the_key(open_page, store):
    new = store.create_class()
    store.join(new.code, "anna")
    at = open_page(CLASS, {"class": new.code, "projector": "1"})
    assert new.code in [m.value for m in at.markdown]
    assert any("1 joined:" in m.value and "anna" in m.value for m in at.markdown)
    assert not at.code and not any(new.teacher_key in m.value for m in at.markdown)


# --- the class buttons on the other pages -------------------------------------------------


def test_class_buttons_are_only_there_for_a_joined_student(open_page):
    at = open_page(PLAYGROUND)
    assert "cls.hand_in" not in [b.key for b in at.button]
    at = open_page(DRAW)
    draw(at, ONE)
    assert "cls.add" not in [b.key for b in at.button]


def test_draw_adds_the_drawing_with_the_students_label_to_the_class_set(open_page, store):
    at, new = joined_on(open_page, store, DRAW)
    assert banner(at).endswith("· anna]")
    draw(at, ONE)
    assert at.button(key="cls.add").disabled  # no label picked yet
    at.pills(key="cls.label").set_value(7).run()
    at.button(key="cls.add").click().run()
    assert "Added your 7" in at.success[0].value and "1 of your 200" in at.success[0].value
    (stored,) = store.drawings(new.code, new.teacher_key)
    assert (stored.nickname, stored.label, stored.prediction) == ("anna", 7, 1)
    reading = at.session_state["dr:source"]
    assert reading == "canvas" and at.session_state["cls.label"] is None
    assert stored.image.dtype == np.uint8 and stored.image.max() == 255

    at.pills(key="cls.label").set_value(7).run()
    at.button(key="cls.add").click().run()  # the same drawing again
    assert "already" in at.info[0].value
    assert len(store.drawings(new.code, new.teacher_key)) == 1


def test_a_real_mnist_digit_is_not_added_as_the_students_handwriting(open_page, store):
    at, _ = joined_on(open_page, store, DRAW)
    at.button(key="dr.real").click().run()
    assert "cls.add" not in [b.key for b in at.button]
    assert "not your handwriting" in texts(at)


def test_the_playground_hands_in_its_run_and_keeps_the_class_in_the_address(open_page, store):
    at, new = joined_on(open_page, store, PLAYGROUND)
    at.button(key="cls.hand_in").click().run()
    assert "Train it first" in at.error[0].value
    at.selectbox(key="pg.dataset").set_value("moons").run()
    at.button(key="pg.step").click().run()
    at.button(key="cls.hand_in").click().run()
    assert "Handed in: step 1" in at.success[0].value
    params = query(at)
    assert params["class"] == new.code and params["dataset"] == "moons"
    (run,) = store.leaderboard(new.code)
    page, _, link_query = run.link.partition("?")
    assert page == "playground"
    run_now = at.session_state["pg:run"]
    assert RunConfig.from_query(dict(parse_qsl(link_query))) == run_now.config
    assert run.steps == 1 and run.n_weights == run_now.trainer.model.n_parameters
    assert run.test_accuracy == run_now.history.test_accuracy[-1]
    assert not at.toast  # `class` in the address is not taken for a bad Playground setting


def test_a_playground_link_opened_in_a_class_reads_its_config_without_the_class(open_page, store):
    at, new = joined_on(open_page, store, CLASS)
    at = open_page(PLAYGROUND, {"class": new.code, "dataset": "moons", "hidden": "6"})
    assert at.session_state["pg:config"].dataset == "moons" and not at.toast
    assert query(at)["class"] == new.code


def test_compare_hands_in_the_chosen_run(open_page, store):
    at, new = joined_on(open_page, store, COMPARE)
    at.button(key="cmp.step").click().run()
    at.selectbox(key="cls.which").set_value(1)
    at.button(key="cls.hand_in").click().run()
    assert "Handed in" in at.success[0].value
    (run,) = store.leaderboard(new.code)
    chosen = at.session_state["cmp:comparison"].runs[1]
    assert dict(parse_qsl(urlsplit(run.link).query)) == chosen.config.to_query()


def test_classroom_hands_in_the_lesson_run_and_keeps_the_class(open_page, store):
    at, new = joined_on(open_page, store, CLASSROOM)
    at.button(key="pg.step").click().run()
    at.button(key="cls.hand_in").click().run()
    assert "Handed in" in at.success[0].value
    assert query(at)["class"] == new.code and "preset" in query(at)
    assert len(store.leaderboard(new.code)) == 1
