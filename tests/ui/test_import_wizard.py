"""The import wizard and the data export menu, driven as a user would."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWizard

from planner import Roadmap
from ui.data_export import export_to
from ui.import_wizard import ImportWizard

DATA = Path(__file__).resolve().parents[1] / "planner" / "io" / "data"
JIRA = DATA / "course-team-92-columns.csv"


def _count(path: Path, sql: str = "SELECT count(*) FROM cards WHERE plan_id = 1") -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute(sql).fetchone()[0])
    finally:
        conn.close()


def _walk_to_review(qtbot, wizard: ImportWizard) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.currentPage() is wizard.file_page
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()


def test_menu_actions_are_installed(window) -> None:
    names = {a.objectName() for a in window.file_menu.actions()}
    assert "import_csv_action" in names
    menu = window.export_data_menu
    assert [a.objectName() for a in menu.actions()] == [
        "export_csv_action", "export_json_action", "export_md_action", "export_ics_action",
        "export_ics_cards_action"]


def test_jira_import_is_one_undo_step(qtbot, window, sample_path: Path) -> None:
    before_cards = _count(sample_path)
    before_lanes = _count(sample_path, "SELECT count(*) FROM lanes WHERE plan_id = 1")
    wizard = ImportWizard(window, JIRA)
    qtbot.addWidget(wizard)
    _walk_to_review(qtbot, wizard)
    assert wizard.preset == "jira"
    assert wizard.preview_page.table.rowCount() == 20
    assert wizard.preview_page.table.columnCount() == 92
    assert wizard.currentPage() is wizard.review_page
    assert wizard.review_page.isComplete()
    assert "68 new cards" in wizard.summary_text()
    depth = window.undo_stack.count()
    with qtbot.waitSignal(window.document.changed):
        wizard.accept()
    assert window.undo_stack.count() == depth + 1
    assert _count(sample_path) == before_cards + 68
    window.undo_stack.undo()
    assert _count(sample_path) == before_cards
    assert _count(sample_path, "SELECT count(*) FROM lanes WHERE plan_id = 1") == before_lanes
    window.undo_stack.redo()
    assert _count(sample_path) == before_cards + 68
    assert _count(sample_path, "SELECT count(*) FROM cards WHERE external_key = 'CS4483-68'") == 1


def test_problems_are_listed_and_skipping_must_be_chosen(qtbot, window, sample_path: Path,
                                                         tmp_path: Path) -> None:
    src = tmp_path / "plan.csv"
    src.write_text("Title;Status;Start;End\nGood;Planned;03/04/2026;05/06/2026\n"
                   "<b>Bad</b>;Sleeping;;\n", encoding="cp1252")
    before = _count(sample_path)
    wizard = ImportWizard(window, src)
    qtbot.addWidget(wizard)
    _walk_to_review(qtbot, wizard)
    page = wizard.mapping_page
    assert wizard.currentPage() is page  # the dates are ambiguous: the wizard asks
    assert page.date_order.isVisible()
    assert "03/04/2026" in page.error.text()
    page.date_order.setCurrentIndex(page.date_order.findData("dmy"))
    wizard.next()
    review = wizard.review_page
    assert wizard.currentPage() is review
    assert not review.isComplete()
    assert review.problems.rowCount() == 1
    assert review.problems.item(0, 0).text() == "3"
    assert review.problems.item(0, 2).text() == "Sleeping"
    wizard.button(QWizard.WizardButton.FinishButton).click()  # disabled: nothing happens
    assert _count(sample_path) == before
    review.skip.setChecked(True)
    assert review.isComplete()
    wizard.accept()
    assert _count(sample_path) == before + 1
    with Roadmap.open(sample_path, read_only=True) as r:
        card = next(c for c in r.cards() if c.title == "Good")
        assert (card.start.isoformat(), card.end.isoformat()) == ("2026-04-03", "2026-06-05")


def test_a_broken_file_is_explained_on_the_preview_page(qtbot, window, tmp_path: Path) -> None:
    src = tmp_path / "broken.csv"
    src.write_text('Title,Note\nA,"never closed\nB,x\n', encoding="utf-8")
    wizard = ImportWizard(window, src)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    assert not wizard.preview_page.isComplete()
    assert "line 2" in wizard.preview_page.info.text()


@pytest.mark.parametrize("fmt", ["csv", "json", "md", "ics", "ics_cards"])
def test_export_data(window, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt.split('_')[0]}"
    export_to(window, fmt, out)
    data = out.read_bytes()
    assert data
    if fmt == "ics_cards":
        assert data.count(b"BEGIN:VEVENT") > data.count(b"milestone-")


def test_reimport_updates_and_undo_restores(qtbot, window, sample_path: Path) -> None:
    first = ImportWizard(window, JIRA)
    qtbot.addWidget(first)
    _walk_to_review(qtbot, first)
    first.accept()
    roadmap = window.roadmap
    card = next(c for c in roadmap.cards() if c.external_key == "CS4483-68")
    roadmap.update_card(card.id, title="Edited here", status="idea")
    total = _count(sample_path)
    again = ImportWizard(window, JIRA)
    qtbot.addWidget(again)
    _walk_to_review(qtbot, again)
    assert "0 new cards, 68 matched" in again.summary_text()
    again.accept()
    assert again.report is not None and again.report.updated == [card.id]
    assert _count(sample_path) == total
    assert roadmap.card(card.id).title == card.title
    window.undo_stack.undo()
    assert (roadmap.card(card.id).title, roadmap.card(card.id).status) == ("Edited here", "idea")
    window.undo_stack.redo()
    assert roadmap.card(card.id).status == card.status


def test_cancel_leaves_the_roadmap_as_it_was(qtbot, window, sample_path: Path) -> None:
    before = sample_path.read_bytes()
    wizard = ImportWizard(window, JIRA)
    qtbot.addWidget(wizard)
    _walk_to_review(qtbot, wizard)
    wizard.reject()
    assert sample_path.read_bytes() == before
    assert window.undo_stack.count() == 0
