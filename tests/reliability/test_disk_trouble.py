"""Disk full, read-only, deleted or moved while open (issue 8.8).

Expected: a clear message, the window stays, the edit is not claimed as saved and is not lost
from the screen, and the user can save a copy elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

import pytest

from planner.store import Roadmap
from tests.reliability._support import report
from ui import commands

RESULTS: list[str] = []


def _run(window, command):
    """Push a command the way the rooms do: a refused change goes to the status bar."""
    timeline_run = getattr(window.timeline, "_run", None)
    if timeline_run is not None:
        return timeline_run(command)
    try:
        return commands.run(window.undo_stack, command)
    except Exception as exc:  # noqa: BLE001
        window.statusBar().showMessage(str(exc), 8000)
        return None


def _cards_in(path: Path) -> set[str]:
    conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT title FROM cards WHERE plan_id = 1")}
    finally:
        conn.close()


def _big_cards(n: int = 40) -> list[dict]:
    return [{"title": f"Big {i}", "description": "x" * 20_000} for i in range(n)]


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    folder = tmp_path / "other disk"
    folder.mkdir()
    return folder


def test_disk_full(window, elsewhere: Path) -> None:
    path = window.path
    before = _cards_in(path)
    steps = window.undo_stack.count()
    conn = window.roadmap._conn
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite now sees a full disk
    assert _run(window, commands.AddCards(window.roadmap, _big_cards())) is None
    assert window.isVisible()
    label = window._saved_label.text()
    assert label.startswith("Not saved") and "disk is full" in label, label
    assert "disk is full" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == steps  # nothing half-done on the undo stack
    assert _cards_in(path) == before  # all or nothing: the file is as it was
    copy = window.roadmap.save_copy(elsewhere / "rescued.roadmap")
    assert _cards_in(copy) == before
    conn.execute("PRAGMA max_page_count = 1073741823")  # space freed: the next edit is saved
    assert _run(window, commands.AddCards(window.roadmap, [{"title": "After"}])) is not None
    assert window._saved_label.text().startswith("All changes saved")
    RESULTS.append(f"disk full: window stayed, status {label[:60]!r}…, undo stack unchanged,"
                   " file unchanged, copy saved elsewhere")  # fmt: skip


def test_file_made_read_only(window, elsewhere: Path) -> None:
    path = window.path
    before = _cards_in(path)
    # What SQLite reports when the file can no longer be written (root ignores chmod).
    window.roadmap._conn.execute("PRAGMA query_only = ON")
    card = next(c for c in window.roadmap.cards() if c.start)
    move = {card.id: (card.start + dt.timedelta(days=7), card.end + dt.timedelta(days=7), None)}
    assert _run(window, commands.MoveCards(window.roadmap, move)) is None
    assert window.isVisible()
    label = window._saved_label.text()
    assert label.startswith("Not saved") and "read-only" in label, label
    assert _cards_in(path) == before
    assert _cards_in(window.roadmap.save_copy(elsewhere / "copy.roadmap")) == before
    RESULTS.append(f"read-only: window stayed, status {label[:60]!r}…, copy saved elsewhere")


@pytest.mark.parametrize("how", ["deleted", "moved"])
def test_file_deleted_or_moved_while_open(window, elsewhere: Path, how: str) -> None:
    path = window.path
    moved_to = path.with_name("moved away.roadmap")
    if how == "deleted":
        os.unlink(path)
    else:
        os.rename(path, moved_to)
    card = next(c for c in window.roadmap.cards() if c.start)
    steps = window.undo_stack.count()
    move = {card.id: (card.start + dt.timedelta(days=14), card.end + dt.timedelta(days=14), None)}
    # SQLite refuses to write to a file that was moved or unlinked since it was opened.
    assert _run(window, commands.MoveCards(window.roadmap, move)) is None
    assert window.isVisible()
    label = window._saved_label.text()
    assert label.startswith("Not saved") and "deleted or moved" in label, label
    assert "moved or deleted" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == steps
    assert window.roadmap.card(card.id).start == card.start  # the screen shows what is saved
    copy = window.roadmap.save_copy(elsewhere / "rescued.roadmap")
    with Roadmap.open(copy, read_only=True) as rescued:
        assert len(rescued.cards()) == len(window.roadmap.cards())
    if how == "moved":
        with Roadmap.open(moved_to, read_only=True) as r:  # the moved file is whole
            assert r.card(card.id).start == card.start
    RESULTS.append(f"{how} while open: window stayed, status {label[:60]!r}…, the edit"
                   " refused with a message, a copy saved elsewhere")  # fmt: skip


def test_report_disk_trouble() -> None:
    """Print what the disk-trouble tests above found (they run first, in file order)."""
    report(f"disk trouble: {len(RESULTS)} of 4 cases handled: " + "; ".join(RESULTS))
