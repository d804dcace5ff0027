"""The File menu through the window: New, New from Sample, Open, Open Recent, Save a Copy As,
Close, Quit, dropping a .roadmap file, a file in use and a file that cannot be opened."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from planner import Roadmap
from ui import app, file_actions, recent


@pytest.fixture
def docs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(app, "documents_folder", lambda: folder)
    return folder


@pytest.fixture(autouse=True)
def close_windows() -> Iterator[None]:
    yield
    for window in app.windows():
        window.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox):
            widget.close()


def _answer_save(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    asked: list[str] = []

    def fake(parent, caption, suggested, replace=True):
        asked.append(str(suggested))
        return target

    monkeypatch.setattr(file_actions, "ask_save_path", fake)
    return asked


def _message_boxes() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def _rows(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read through a second connection."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        ]
        out = {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        out["pragma"] = [
            (conn.execute("PRAGMA application_id").fetchone()[0],),
            (conn.execute("PRAGMA user_version").fetchone()[0],),
        ]
        return out
    finally:
        conn.close()


def test_file_menu_lists_the_actions_in_order(window):
    texts = [a.text().replace("&", "") for a in window.file_menu.actions() if not a.isSeparator()]
    ours = ["New…", "New from Sample…", "Open…", "Open Recent", "Save a Copy As…", "Close", "Quit"]
    assert [t for t in texts if t in ours] == ours  # other rooms may add theirs in between
    assert texts[:5] == ours[:5] and texts[-1] == "Quit"
    assert not any(t == "Save" for t in texts)  # every change is already in the file


def test_new_creates_an_empty_roadmap_and_opens_it(window, docs, monkeypatch, tmp_path):
    target = tmp_path / "Launch plan.roadmap"
    _answer_save(monkeypatch, target)
    window.file_actions.new.trigger()
    opened = app.find_window(target)
    assert opened is not None and opened is not window
    assert opened.isVisible()
    assert "Launch plan" in opened.windowTitle() and "Launch plan.roadmap" in opened.windowTitle()
    with Roadmap.open(target, read_only=True) as check:
        assert check.title == "Launch plan"
        assert check.card_count() == 0
    assert recent.files()[0] == target.resolve()


def test_new_never_replaces_an_existing_file(window, docs, monkeypatch, tmp_path):
    target = tmp_path / "taken.roadmap"
    target.write_bytes(b"precious")
    _answer_save(monkeypatch, target)
    window.file_actions.new.trigger()
    assert target.read_bytes() == b"precious"
    assert app.find_window(target) is None
    boxes = _message_boxes()
    assert boxes and boxes[0].textFormat() == Qt.TextFormat.PlainText
    assert "already exists" in boxes[0].text()


def test_new_from_sample_builds_the_sample(window, docs, monkeypatch, tmp_path):
    target = tmp_path / "Try it.roadmap"
    _answer_save(monkeypatch, target)
    window.file_actions.new_sample.trigger()
    opened = app.find_window(target)
    assert opened is not None
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] > 10
    finally:
        conn.close()


def test_open_opens_once_and_then_focuses_that_window(window, docs, monkeypatch, roadmap_path):
    Roadmap.create(roadmap_path, title="Other plan").close()
    monkeypatch.setattr(file_actions, "ask_open_path", lambda parent: roadmap_path)
    window.file_actions.open.trigger()
    first = app.find_window(roadmap_path)
    assert first is not None and first.windowTitle().startswith("Other plan — plan.roadmap")
    count = len(app.windows())
    # the same file again, by another spelling of its path
    monkeypatch.setattr(
        file_actions, "ask_open_path", lambda parent: roadmap_path.parent / "." / roadmap_path.name
    )
    window.file_actions.open.trigger()
    assert len(app.windows()) == count
    assert app.open_window(roadmap_path) is first


def test_open_cancelled_does_nothing(window, monkeypatch):
    monkeypatch.setattr(file_actions, "ask_open_path", lambda parent: None)
    window.file_actions.open.trigger()
    assert app.windows() == []


def test_a_file_that_cannot_be_opened_shows_its_plain_message(window, tmp_path, monkeypatch):
    bad = tmp_path / "<b>broken<i>.roadmap"
    bad.write_bytes(b"this is not a roadmap at all" * 40)
    monkeypatch.setattr(file_actions, "ask_open_path", lambda parent: bad)
    window.file_actions.open.trigger()
    assert app.find_window(bad) is None
    boxes = _message_boxes()
    assert len(boxes) == 1
    assert boxes[0].textFormat() == Qt.TextFormat.PlainText
    assert "<b>broken<i>.roadmap" in boxes[0].text()


def test_recent_files_survive_a_restart_and_reopen(qtbot, docs, tmp_path):
    paths = []
    for n in range(12):
        path = tmp_path / f"plan{n}.roadmap"
        Roadmap.create(path, title=f"Plan {n}").close()
        paths.append(path)
        window = app.open_window(path)
        assert window is not None
        window.close()
    # a "restart": nothing is kept in memory, the list is read back from the settings store
    listed = recent.files()
    assert listed == [p.resolve() for p in reversed(paths)][:10]

    first = app.open_window(paths[0])
    assert first is not None
    menu = first.file_actions.recent_menu
    menu.aboutToShow.emit()
    entries = [a for a in menu.actions() if a.data()]
    assert [Path(a.data()) for a in entries] == recent.files()
    assert entries[0].text().startswith("&1 plan0.roadmap")
    # the second entry opens that file in a new window
    entries[1].trigger()
    assert app.find_window(paths[11]) is not None


def test_missing_recent_files_are_marked_and_removable(window, docs, tmp_path):
    keep, gone = tmp_path / "keep.roadmap", tmp_path / "gone.roadmap"
    for path in (gone, keep):
        Roadmap.create(path).close()
        recent.add(path)
    gone.unlink()
    menu = window.file_actions.recent_menu
    menu.aboutToShow.emit()
    texts = {Path(a.data()).name: a.text() for a in menu.actions() if a.data()}
    assert "(missing)" in texts["gone.roadmap"] and "(missing)" not in texts["keep.roadmap"]
    # choosing the missing file removes it and says so
    missing_action = next(a for a in menu.actions() if a.data() and "gone" in a.data())
    missing_action.trigger()
    assert recent.files() == [keep.resolve()]
    assert "no longer exists" in window.statusBar().currentMessage()

    recent.add(gone)  # listed again, still missing: "Remove Missing Files" drops it
    menu.aboutToShow.emit()
    remove = next(a for a in menu.actions() if "Remove Missing" in a.text())
    assert remove.isEnabled()
    remove.trigger()
    assert recent.files() == [keep.resolve()]
    menu.aboutToShow.emit()
    clear = next(a for a in menu.actions() if "Clear" in a.text())
    clear.trigger()
    assert recent.files() == []
    menu.aboutToShow.emit()
    assert [a.text() for a in menu.actions() if not a.isSeparator()][0] == "No Recent Files"


def test_save_a_copy_while_open_gives_an_identical_roadmap(window, monkeypatch, tmp_path):
    lane = window.roadmap.lanes()[0]
    window.roadmap.add_card(title="Made just now", lane_id=lane.id)
    target = tmp_path / "copy.roadmap"
    asked = _answer_save(monkeypatch, target)
    window.file_actions.save_copy.trigger()
    assert asked and asked[0].endswith("(copy).roadmap")
    assert target.exists()
    assert _rows(target) == _rows(window.path)
    assert not window.roadmap.closed  # the original stays open and editable
    window.roadmap.add_card(title="After the copy", lane_id=lane.id)
    assert _rows(target) != _rows(window.path)
    with Roadmap.open(target) as copy:  # the copy opens for editing on its own
        assert "Made just now" in [c.title for c in copy.cards()]
    assert "Saved a copy" in window.statusBar().currentMessage()


def test_save_a_copy_never_replaces_a_file_open_in_a_window(window, monkeypatch, tmp_path):
    other = tmp_path / "other.roadmap"
    Roadmap.create(other).close()
    assert app.open_window(other) is not None
    before = other.read_bytes()
    _answer_save(monkeypatch, other)
    window.file_actions.save_copy.trigger()
    assert other.read_bytes() == before
    assert _message_boxes()


def test_close_and_quit(qtbot, docs, tmp_path):
    paths = [tmp_path / "a.roadmap", tmp_path / "b.roadmap"]
    windows = []
    for path in paths:
        Roadmap.create(path).close()
        windows.append(app.open_window(path))
    close = next(a for a in windows[0].file_menu.actions() if a.text() == "&Close")
    close.trigger()
    assert not windows[0].isVisible() and windows[0].roadmap.closed
    assert app.windows() == [windows[1]]
    windows[1].file_actions.quit.trigger()
    assert app.windows() == []
    assert windows[1].roadmap.closed
    with Roadmap.open(paths[1]):  # the lock was released
        pass


def _drop(window, mime: QMimeData) -> tuple[bool, bool]:
    pos = QPoint(200, 200)
    enter = QDragEnterEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_a_roadmap_file_opens_it(window, docs, roadmap_path):
    Roadmap.create(roadmap_path, title="Dropped").close()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(roadmap_path))])
    entered, dropped = _drop(window, mime)
    assert entered and dropped
    opened = app.find_window(roadmap_path)
    assert opened is not None and opened.roadmap.title == "Dropped"


def test_other_drags_pass_through(window, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(text))])
    assert _drop(window, mime) == (False, False)
    cards = QMimeData()
    cards.setData("application/x-roadmap-card-ids", b"[1, 2]")
    assert file_actions.roadmap_paths(cards) == []
    assert _drop(window, cards) == (False, False)
    assert app.windows() == []


def test_a_file_in_use_can_be_opened_read_only_or_as_a_copy(qtbot, docs, sample_path, monkeypatch):
    holder = Roadmap.open(sample_path)  # another program editing the file
    try:
        monkeypatch.setattr(file_actions, "ask_locked", lambda parent, message: "read_only")
        window = app.open_window(sample_path)
        assert window is not None and window.roadmap.read_only
        assert window.windowTitle().endswith("[read-only]")
        window.close()

        monkeypatch.setattr(file_actions, "ask_locked", lambda parent, message: "copy")
        window = app.open_window(sample_path)
        assert window is not None and not window.roadmap.read_only
        assert window.path == docs / "sample (copy).roadmap"
        assert window.roadmap.card_count() == holder.card_count()
        window.close()

        monkeypatch.setattr(file_actions, "ask_locked", lambda parent, message: None)
        assert app.open_window(sample_path) is None
    finally:
        holder.close()
