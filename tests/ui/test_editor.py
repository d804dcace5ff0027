"""The card editor: every field through its widget, read back from the file, then undone."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtGui import QDesktopServices, QFocusEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from planner.model import Criterion
from planner.store import Roadmap
from tests.ui.editor_helpers import choose, stored, type_line
from ui.card_editor import CardEditor
from ui.document import Document
from ui.widgets.checklist import ChecklistEdit

# Combo popups on the offscreen platform cannot raise or grab the keyboard; harmless here.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support raise",
                                       "This plugin does not support grabbing the keyboard")


@pytest.fixture
def ctx(qtbot, sample_path: Path) -> Iterator[SimpleNamespace]:
    roadmap = Roadmap.open(sample_path)
    document = Document(roadmap)
    stack = QUndoStack()
    editor = CardEditor(document, stack)
    qtbot.addWidget(editor)
    editor.resize(420, 900)
    editor.show()
    qtbot.waitExposed(editor)
    card = next(c for c in roadmap.cards() if c.scheduled and c.objective_id is not None)
    document.set_selection([card.id])
    yield SimpleNamespace(editor=editor, document=document, stack=stack, roadmap=roadmap,
                          path=sample_path, card=card, id=card.id)
    document.detach()
    roadmap.close()


LINE_CASES = [
    ("title_edit", "title", "Offline maps for field staff", "Offline maps for field staff"),
    ("as_a_edit", "as_a", "field engineer", "field engineer"),
    ("i_want_edit", "i_want", "maps without a signal", "maps without a signal"),
    ("so_that_edit", "so_that", "I can work in basements", "I can work in basements"),
    ("owner_edit", "owner", "Priya", "Priya"),
    ("measure_edit", "measure", "tickets per week", "tickets per week"),
    ("estimate_edit", "estimate", "13", 13.0),
    ("reach_edit", "reach", "2000", 2000.0),
    ("impact_edit", "impact", "2", 2.0),
    ("confidence_edit", "confidence", "80", 80.0),
    ("effort_edit", "effort", "4", 4.0),
    ("color_edit", "color", "#aa3300", "#aa3300"),
    ("link_edit", "link", "https://example.com/spec", "https://example.com/spec"),
]


@pytest.mark.parametrize(("widget", "column", "typed", "expected"), LINE_CASES)
def test_line_fields_commit_on_enter_and_undo(qtbot, ctx, widget, column, typed, expected):
    before = stored(ctx.path, ctx.id, column)
    type_line(qtbot, getattr(ctx.editor, widget), typed)
    assert stored(ctx.path, ctx.id, column) == expected
    assert ctx.stack.count() == 1
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, column) == before
    assert getattr(ctx.editor, widget).text() == ("" if before is None else
                                                  ctx.editor._inputs[column].text())


def test_typing_is_not_committed_per_keystroke(qtbot, ctx):
    edit = ctx.editor.title_edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Half typed")
    assert stored(ctx.path, ctx.id, "title") == ctx.card.title
    assert ctx.stack.count() == 0
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert stored(ctx.path, ctx.id, "title") == "Half typed"
    assert ctx.stack.count() == 1


@pytest.mark.parametrize(("combo", "column", "value"), [
    ("kind_combo", "kind", "epic"),
    ("status_combo", "status", "dropped"),
    ("priority_combo", "priority", "wont"),
    ("date_confidence_combo", "date_confidence", "low"),
])
def test_choice_fields(qtbot, ctx, combo, column, value):
    before = stored(ctx.path, ctx.id, column)
    choose(qtbot, getattr(ctx.editor, combo), value)
    assert stored(ctx.path, ctx.id, column) == value
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, column) == before


def test_lane_and_objective(qtbot, ctx):
    lane = next(lane for lane in ctx.roadmap.lanes() if lane.id != ctx.card.lane_id)
    choose(qtbot, ctx.editor.lane_combo, lane.id)
    assert stored(ctx.path, ctx.id, "lane_id") == lane.id
    choose(qtbot, ctx.editor.objective_combo, None)
    assert stored(ctx.path, ctx.id, "objective_id") is None
    ctx.stack.undo()
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, "lane_id") == ctx.card.lane_id
    assert stored(ctx.path, ctx.id, "objective_id") == ctx.card.objective_id


def test_dates_typed_cleared_and_end_before_start_refused(qtbot, ctx):
    type_line(qtbot, ctx.editor.start_edit.line, "2027-01-04")
    assert stored(ctx.path, ctx.id, "start_date") == "2027-01-04"
    end = stored(ctx.path, ctx.id, "end_date")
    type_line(qtbot, ctx.editor.end_edit.line, "2026-01-01")
    assert stored(ctx.path, ctx.id, "end_date") == end  # the file keeps the last valid value
    assert "before" in ctx.editor.error_text("end")
    assert ctx.editor.end_edit.line.property("invalid") is True
    type_line(qtbot, ctx.editor.end_edit.line, "2027-03-05")
    assert stored(ctx.path, ctx.id, "end_date") == "2027-03-05"
    assert ctx.editor.error_text("end") == ""
    qtbot.mouseClick(ctx.editor.start_edit.clear_button, Qt.MouseButton.LeftButton)
    assert stored(ctx.path, ctx.id, "start_date") is None
    assert stored(ctx.path, ctx.id, "end_date") is None
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, "end_date") == "2027-03-05"


def test_dating_a_backlog_card_gives_it_a_default_length(qtbot, ctx):
    card = next(c for c in ctx.roadmap.cards() if not c.scheduled)
    ctx.document.set_selection([card.id])
    assert ctx.editor.start_edit.line.text() == ""
    type_line(qtbot, ctx.editor.start_edit.line, "2027-02-01")
    start = dt.date.fromisoformat(stored(ctx.path, card.id, "start_date"))
    end = dt.date.fromisoformat(stored(ctx.path, card.id, "end_date"))
    assert start == dt.date(2027, 2, 1) and end > start


def test_calendar_pick_commits(qtbot, ctx):
    from PySide6.QtCore import QDate

    day = ctx.card.start - dt.timedelta(days=7)
    ctx.editor.start_edit.calendar.clicked.emit(QDate(day.year, day.month, day.day))
    assert stored(ctx.path, ctx.id, "start_date") == day.isoformat()
    assert ctx.editor.start_edit.line.text() == day.isoformat()


def test_empty_title_shown_at_the_field(qtbot, ctx):
    type_line(qtbot, ctx.editor.title_edit, "")
    assert stored(ctx.path, ctx.id, "title") == ctx.card.title
    assert "empty" in ctx.editor.error_text("title")
    assert ctx.editor.title_edit.property("invalid") is True
    assert ctx.stack.count() == 0
    type_line(qtbot, ctx.editor.title_edit, "Fixed")
    assert ctx.editor.error_text("title") == ""


def test_bad_number_shown_at_the_field(qtbot, ctx):
    before = stored(ctx.path, ctx.id, "estimate")
    type_line(qtbot, ctx.editor.estimate_edit, "lots")
    assert "number" in ctx.editor.error_text("estimate")
    assert stored(ctx.path, ctx.id, "estimate") == before
    type_line(qtbot, ctx.editor.estimate_edit, "-3")
    assert ctx.editor.error_text("estimate")
    assert stored(ctx.path, ctx.id, "estimate") == before


def test_story_preview_and_rice_update_live(qtbot, ctx):
    ed = ctx.editor
    type_line(qtbot, ed.as_a_edit, "nurse")
    ed.i_want_edit.selectAll()
    qtbot.keyClicks(ed.i_want_edit, "one tap")
    assert "As a nurse, I want one tap" in ed.story_preview.text()
    for edit, text in ((ed.reach_edit, "1000"), (ed.impact_edit, "2"),
                       (ed.confidence_edit, "50"), (ed.effort_edit, "4")):
        edit.selectAll()
        qtbot.keyClicks(edit, text)
    assert ed.rice_score.text() == "250"
    assert "1,000 reach × 2 impact × 50% confidence ÷ 4 effort = 250" in ed.rice_explanation.text()
    ed.effort_edit.selectAll()
    qtbot.keyClicks(ed.effort_edit, "0")
    assert ed.rice_score.text() == "—"
    assert "Effort is 0" in ed.rice_explanation.text()
    qtbot.keyClick(ed.effort_edit, Qt.Key.Key_Return)
    assert stored(ctx.path, ctx.id, "effort") == 0.0


def test_plain_text_fields_commit_on_focus_out(qtbot, ctx):
    for edit, column in ((ctx.editor.description_edit, "description"),
                         (ctx.editor.hypothesis_edit, "hypothesis")):
        edit.selectAll()
        qtbot.keyClicks(edit, "Line one")
        assert stored(ctx.path, ctx.id, column) != "Line one"
        QApplication.sendEvent(edit, QFocusEvent(QEvent.Type.FocusOut))
        assert stored(ctx.path, ctx.id, column) == "Line one"
    assert ctx.stack.count() == 2
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, "hypothesis") == ctx.card.hypothesis


def test_internal_flag(qtbot, ctx):
    before = bool(stored(ctx.path, ctx.id, "internal"))
    qtbot.keyClick(ctx.editor.internal_check, Qt.Key.Key_Space)
    assert bool(stored(ctx.path, ctx.id, "internal")) is not before
    ctx.stack.undo()
    assert bool(stored(ctx.path, ctx.id, "internal")) is before


def test_acceptance_criteria_checklist(qtbot, ctx):
    checklist = ctx.editor.checklist
    before = stored(ctx.path, ctx.id, "criteria")
    qtbot.keyClicks(checklist.add_line, "Works offline")
    qtbot.keyClick(checklist.add_line, Qt.Key.Key_Return)
    crit = stored(ctx.path, ctx.id, "criteria")
    assert crit[-1] == {"text": "Works offline", "done": False}
    assert checklist.count_label.text().endswith(f"of {len(crit)} done")
    last = checklist.list.item(checklist.list.count() - 1)
    checklist.list.setCurrentItem(last)
    last.setCheckState(Qt.CheckState.Checked)
    assert stored(ctx.path, ctx.id, "criteria")[-1]["done"] is True
    checklist.move_current(-1)
    assert stored(ctx.path, ctx.id, "criteria")[-2]["text"] == "Works offline"
    qtbot.mouseClick(checklist.remove_button, Qt.MouseButton.LeftButton)
    assert len(stored(ctx.path, ctx.id, "criteria")) == len(before)
    for _ in range(4):
        ctx.stack.undo()
    assert stored(ctx.path, ctx.id, "criteria") == before


def test_tags_chips_create_on_enter_and_remove(qtbot, ctx):
    before = stored(ctx.path, ctx.id, "tags")
    qtbot.keyClicks(ctx.editor.tag_edit.line, "beta")
    qtbot.keyClick(ctx.editor.tag_edit.line, Qt.Key.Key_Return)
    assert stored(ctx.path, ctx.id, "tags") == [*before, "beta"]
    chip = next(c for c in ctx.editor.tag_edit.chips() if c.property("tag") == "beta")
    qtbot.mouseClick(chip, Qt.MouseButton.LeftButton)
    assert stored(ctx.path, ctx.id, "tags") == before
    ctx.stack.undo()
    assert stored(ctx.path, ctx.id, "tags") == [*before, "beta"]


def test_link_opens_only_on_click_and_only_web_or_mail(qtbot, ctx, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    type_line(qtbot, ctx.editor.link_edit, "javascript:alert(1)")
    assert stored(ctx.path, ctx.id, "link") == "javascript:alert(1)"
    assert not ctx.editor.open_link_button.isEnabled()
    type_line(qtbot, ctx.editor.link_edit, "https://example.com/a")
    assert opened == []
    assert ctx.editor.open_link_button.isEnabled()
    qtbot.mouseClick(ctx.editor.open_link_button, Qt.MouseButton.LeftButton)
    assert opened == ["https://example.com/a"]


def test_switching_cards_commits_the_pending_edit_to_the_old_card(qtbot, ctx):
    other = next(c for c in ctx.roadmap.cards() if c.id != ctx.id)
    ctx.editor.owner_edit.selectAll()
    qtbot.keyClicks(ctx.editor.owner_edit, "Sam")
    ctx.document.set_selection([other.id])
    assert stored(ctx.path, ctx.id, "owner") == "Sam"
    assert stored(ctx.path, other.id, "owner") == other.owner
    assert ctx.editor.owner_edit.text() == other.owner


def test_outside_changes_reload_but_not_the_field_being_typed(qtbot, ctx):
    ctx.editor.owner_edit.selectAll()
    qtbot.keyClicks(ctx.editor.owner_edit, "Typing")
    ctx.roadmap.update_card(ctx.id, status="done", owner="Someone else")
    assert ctx.editor.status_combo.currentData() == "done"
    assert ctx.editor.owner_edit.text() == "Typing"


def test_one_undo_step_per_field_visit(qtbot, ctx):
    type_line(qtbot, ctx.editor.title_edit, "One")
    qtbot.keyClick(ctx.editor.title_edit, Qt.Key.Key_Return)  # Enter again, nothing new
    ctx.editor.title_edit.editingFinished.emit()  # leaving the field
    assert ctx.stack.count() == 1


def test_multi_edit_shared_fields_in_one_step(qtbot, ctx):
    ids = [c.id for c in ctx.roadmap.cards()[:3]]
    ctx.document.set_selection(ids)
    ed = ctx.editor
    assert "3 cards" in ed.header.text()
    assert not ed.title_edit.isVisibleTo(ed)
    assert ed.status_combo.isVisibleTo(ed)
    choose(qtbot, ed.status_combo, "done")
    assert all(stored(ctx.path, i, "status") == "done" for i in ids)
    assert ctx.stack.count() == 1
    choose(qtbot, ed.priority_combo, "could")
    type_line(qtbot, ed.color_edit, "#123456")
    qtbot.keyClicks(ed.tag_edit.line, "review")
    qtbot.keyClick(ed.tag_edit.line, Qt.Key.Key_Return)
    assert all("review" in stored(ctx.path, i, "tags") for i in ids)
    assert all(stored(ctx.path, i, "color") == "#123456" for i in ids)
    assert ctx.stack.count() == 4
    ctx.stack.undo()
    assert not any("review" in stored(ctx.path, i, "tags") for i in ids)


def test_no_selection_shows_a_hint(qtbot, ctx):
    ctx.document.set_selection([])
    assert "No card selected" in ctx.editor.header.text()
    assert not ctx.editor.form_widget.isVisible()


def test_deleted_card_empties_the_editor(qtbot, ctx):
    ctx.roadmap.delete_card(ctx.id)
    assert ctx.editor.card_ids == ()


def test_tag_autocomplete_offers_the_roadmap_tags(qtbot, ctx):
    QApplication.sendEvent(ctx.editor.tag_edit.line, QFocusEvent(QEvent.Type.FocusIn))
    offered = ctx.editor.tag_edit.completer.model().stringList()
    assert set(ctx.roadmap.tags()) <= set(offered) and offered


def test_read_only_file_cannot_be_edited(qtbot, sample_path):
    from ui.backlog import Backlog

    roadmap = Roadmap.open(sample_path, read_only=True)
    document = Document(roadmap)
    editor = CardEditor(document, QUndoStack())
    backlog = Backlog(document, QUndoStack())
    qtbot.addWidget(editor)
    qtbot.addWidget(backlog)
    document.set_selection([roadmap.cards()[0].id])
    assert not editor.form_widget.isEnabled()
    assert not backlog.add_line.isEnabled()
    document.detach()
    roadmap.close()


def _criteria_rows(checklist) -> list[tuple[QRect, int]]:
    """Each criterion row as the list places it, with the height its wrapped text needs."""
    view = checklist.list
    rows = []
    for row in range(view.count()):
        index = view.model().index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(view.viewport())
        option.rect = view.visualRect(index)
        view.itemDelegate().initStyleOption(option, index)
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText
        text = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
        needed = option.fontMetrics.boundingRect(
            QRect(0, 0, text.width() - 4, 100_000), Qt.TextFlag.TextWordWrap, option.text
        ).height()
        rows.append((QRect(option.rect), needed))
    return rows


def _assert_rows_fit(checklist) -> None:
    rows = _criteria_rows(checklist)
    assert rows
    for (rect, needed), (below, _) in zip(rows, rows[1:] + [(None, 0)]):
        assert rect.height() >= needed, "a criterion's wrapped text is cut or overlaps"
        if below is not None:
            assert below.top() > rect.bottom(), "a criterion is drawn over the one below it"


def test_wrapped_criteria_rows_never_overlap(qtbot):
    checklist = ChecklistEdit()
    qtbot.addWidget(checklist)
    checklist.resize(260, 400)
    checklist.show()
    qtbot.waitExposed(checklist)
    checklist.set_criteria([Criterion(t) for t in ("Repeats", "Ends", "Asks", "Lists")])
    qtbot.waitUntil(lambda: len(_criteria_rows(checklist)) == 4)
    _assert_rows_fit(checklist)

    # Another card: a criterion that wraps to several lines where the old one took one.
    checklist.set_criteria([
        Criterion("Patients can join the waitlist for one clinician or any clinician"),
        Criterion("First patient to accept the SMS offer gets the slot"),
        Criterion("Offer expires"),
    ])  # fmt: skip
    heights = [needed for _rect, needed in _criteria_rows(checklist)]
    assert max(heights) > min(heights)  # rows wrapping to different heights
    _assert_rows_fit(checklist)

    long = "Coordinator sees every conflicting booking with the clinician, room and time " * 2
    qtbot.keyClicks(checklist.add_line, long.strip())
    qtbot.keyClick(checklist.add_line, Qt.Key.Key_Return)
    assert checklist.list.count() == 4
    _assert_rows_fit(checklist)
    checklist.list.setCurrentRow(3)
    checklist.move_current(-1)
    _assert_rows_fit(checklist)
    checklist.list.setCurrentRow(0)
    checklist.remove_button.click()
    _assert_rows_fit(checklist)
