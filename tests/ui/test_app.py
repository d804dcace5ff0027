"""Start-up (first run, last file, --sample), window state per file, broken settings, the look."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, QSize
from PySide6.QtWidgets import QApplication, QWidget

from planner import Roadmap
from tests.ui.editor_helpers import type_line
from ui import app, icons, recent, settings, theme


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
    theme.apply(QApplication.instance(), "system")


def test_first_run_opens_the_sample_with_a_hint_and_later_runs_reopen_the_last_file(
    qtbot, docs, tmp_path
):
    windows = app.start([])
    assert len(windows) == 1
    first = windows[0]
    assert first.path == docs / "Roadmap Planner" / "Sample roadmap.roadmap"
    assert first.roadmap.card_count() > 10
    assert "sample roadmap" in first.statusBar().currentMessage()
    assert first.statusBar().currentMessage().count("\n") == 0

    own = tmp_path / "mine.roadmap"
    Roadmap.create(own, title="Mine").close()
    assert app.open_window(own) is not None
    for window in app.windows():
        window.close()

    windows = app.start([])  # the next start
    assert [w.path for w in windows] == [own]
    assert windows[0].statusBar().currentMessage() == ""  # no first-run hint any more


def test_last_file_gone_falls_back_to_the_sample_without_the_hint(qtbot, docs, tmp_path):
    settings.put("last_file", str(tmp_path / "deleted.roadmap"))
    windows = app.start([])
    assert [w.path.name for w in windows] == ["Sample roadmap.roadmap"]
    assert windows[0].statusBar().currentMessage() == ""


def test_sample_flag_recreates_a_deleted_sample(qtbot, docs):
    sample = app.ensure_sample()
    sample.unlink()
    windows = app.start(["--sample"])
    assert [w.path for w in windows] == [sample] and sample.exists()


def test_files_on_the_command_line_open_and_qt_options_are_not_files(qtbot, docs, roadmap_path):
    Roadmap.create(roadmap_path).close()
    windows = app.start(["-platform", "offscreen", str(roadmap_path)])
    assert [w.path for w in windows] == [roadmap_path]
    qtbot.waitUntil(lambda: windows[0].is_built)  # remembered once the window is complete
    assert recent.files() == [roadmap_path.resolve()]


def test_a_file_on_the_command_line_that_cannot_be_opened_is_said_over_the_sample(
    qtbot, docs, tmp_path
):
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "bad.roadmap"
    bad.write_bytes(b"junk")
    windows = app.start([str(bad)])
    assert [w.path for w in windows] == [app.sample_path()]  # the sample opens instead

    def shown() -> list[QMessageBox]:
        return [w for w in QApplication.topLevelWidgets() + windows[0].findChildren(QMessageBox)
                if isinstance(w, QMessageBox) and w.isVisible()]  # fmt: skip

    qtbot.waitUntil(lambda: bool(shown()))
    box = shown()[0]
    assert "bad.roadmap" in box.text() and box.parent() is windows[0]
    assert bad.read_bytes() == b"junk"  # nothing written to it
    box.accept()


class PaintWatch(QObject):
    """Notes whether a widget has painted."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.seen = False
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        self.seen = self.seen or event.type() == QEvent.Type.Paint
        return False


def test_a_start_paints_the_timeline_first_then_builds_the_rest_as_it_was_left(
    qtbot, docs, sample_path
):
    left = app.open_window(sample_path)
    assert left is not None and left.is_built
    left.history_dock.show()
    left.editor_dock.hide()
    left.close()

    windows = app.start([str(sample_path)])
    window = windows[0]
    # The first paint has the timeline, tool bars, legend and docks, not yet the other rooms.
    assert not window.is_built and not hasattr(window, "backlog")
    assert window.timeline.scene().card_items and window.legend.items
    painted = PaintWatch(window)
    order: list[bool] = []
    window.built.connect(lambda: order.append(painted.seen))
    qtbot.waitUntil(lambda: window.is_built)
    assert order == [True]
    # Then every room is there, in the docks as they were left, on the tab that was shown.
    assert window.backlog_dock.widget() is window.backlog
    assert window.editor_dock.widget() is window.editor
    assert window.history_dock.isVisible() and not window.editor_dock.isVisible()
    assert window.tabs.count() == 3 and window.tabs.currentIndex() == 0
    file_menu = [a.text() for a in window.file_menu.actions()]
    assert any("Export" in t for t in file_menu)
    roadmap_menu = [a.text() for a in window.roadmap_menu.actions() if a.text()]
    assert roadmap_menu.index("&Add Card to Backlog") < roadmap_menu.index("Take &Snapshot…")
    # An edit made the moment it is built is undoable like any other.
    card = window.roadmap.cards()[0]
    window.document.set_selection([card.id])
    type_line(qtbot, window.editor.title_edit, "Renamed at start")
    assert window.roadmap.card(card.id).title == "Renamed at start"
    window.undo_stack.undo()
    assert window.roadmap.card(card.id).title == card.title


def test_no_display_gives_one_line(monkeypatch, capsys):
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr(app.sys, "platform", "linux")
    assert app.main([]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no display" in err


def test_window_state_is_restored_per_file(qtbot, docs, sample_path, roadmap_path):
    Roadmap.create(roadmap_path).close()
    window = app.open_window(sample_path)
    assert window is not None
    window.history_dock.show()
    window.resize(window.minimumSizeHint().width(), 555)  # the offscreen screen is small
    left_at = window.size()
    view = window.roadmap.views()[0]
    window.document.set_active_view(view)
    window.close()

    other = app.open_window(roadmap_path)  # a different file keeps its own (default) state
    assert other is not None
    assert other.document.active_view is None
    assert other.history_dock.isHidden()
    other.close()

    again = app.open_window(sample_path)
    assert again is not None
    assert again.size() == left_at and again.height() == 555
    assert again.history_dock.isVisible()
    assert again.document.active_view is not None and again.document.active_view.id == view.id


def test_a_deleted_view_is_not_restored(qtbot, docs, sample_path):
    window = app.open_window(sample_path)
    view = window.roadmap.views()[0]
    window.document.set_active_view(view)
    window.close()
    with Roadmap.open(sample_path) as r:
        r.delete_view(view.id)
    again = app.open_window(sample_path)
    assert again is not None and again.document.active_view is None


def test_a_corrupt_settings_store_falls_back_to_defaults(qtbot, docs, sample_path):
    window = app.open_window(sample_path)
    window.resize(900, 640)
    window.close()
    store = Path(QSettings().fileName())
    assert store.exists()
    store.write_bytes(
        b"\x00\xff[windows\n=garbage\x89PNG\r\n" * 50 + b"geometry=@ByteArray(\xff)\n"
    )
    assert settings.get("theme") == "system"
    assert settings.get("snap_unit") == "week"
    assert recent.files() == [] or all(isinstance(p, Path) for p in recent.files())
    windows = app.start([])
    assert windows and windows[0].isVisible()
    again = app.open_window(sample_path)
    assert again is not None and again.isVisible()


def test_unreadable_values_fall_back_to_defaults(qtbot):
    store = QSettings()
    store.setValue("presentation_scale", "huge")
    store.setValue("default_duration_epic", "-5")
    store.setValue("theme", "purple")
    store.setValue("recent_files", "{not json")
    store.sync()
    assert settings.get("presentation_scale") == 1.5
    assert settings.get("default_duration_epic") == 42
    assert settings.get("theme") == "system"
    assert recent.files() == []
    settings.put_window_state(Path("/nowhere.roadmap"), {"geometry": "garbage", "zoom": "x"})
    assert settings.window_state(Path("/nowhere.roadmap"))["geometry"] == "garbage"


def test_forced_dark_and_light_themes(qapp):
    assert theme.apply(qapp, "dark") == "dark"
    assert theme.is_dark()
    assert qapp.style().name().lower() == "fusion"
    assert theme.apply(qapp, "light") == "light"
    assert not theme.is_dark()
    assert theme.apply(qapp, "system") == "system"
    assert theme.is_dark() == theme.system_is_dark()


def test_icons_are_named_in_one_place_and_fail_loudly(qapp):
    files = {p.stem for p in icons.ICON_DIR.glob("*.svg")}
    assert files == set(icons.NAMES)
    with pytest.raises(KeyError, match="unknown icon"):
        icons.icon("no-such-icon")


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_icons_are_drawn_at_the_device_scale(qapp, scale):
    for name in ("undo", "open", "app"):
        pixmap = icons.icon(name).pixmap(QSize(24, 24), scale)
        assert pixmap.width() == round(24 * scale)
        image = pixmap.toImage()
        inked = sum(
            image.pixelColor(x, y).alpha() > 0
            for x in range(image.width())
            for y in range(image.height())
        )
        assert inked > 10


def test_icons_follow_the_text_colour(qapp):
    theme.apply(qapp, "dark")
    dark = icons.icon("close").pixmap(QSize(24, 24), 1.0).toImage()
    theme.apply(qapp, "light")
    light = icons.icon("close").pixmap(QSize(24, 24), 1.0).toImage()
    # the diagonal of the cross: light ink on dark, dark ink on light
    assert dark.pixelColor(12, 12).lightness() > 150
    assert light.pixelColor(12, 12).lightness() < 100


def test_timeline_zoom_and_scroll_are_restored(qtbot, docs, sample_path):
    window = app.open_window(sample_path)
    timeline = window.timeline
    if not hasattr(timeline, "time_scale"):
        pytest.skip("the timeline has no zoom yet")
    timeline.set_zoom(9.0, 0.0)
    left = timeline.date_at(0)
    window.close()
    again = app.open_window(sample_path)
    assert again.timeline.time_scale.px_per_day == pytest.approx(9.0)
    assert abs((again.timeline.date_at(0) - left).days) <= 1


def test_icons_on_a_highlight_use_the_highlighted_text_colour(qapp):
    from PySide6.QtGui import QIcon

    theme.apply(qapp, "light")
    selected = icons.icon("close").pixmap(QSize(24, 24), 1.0, QIcon.Mode.Selected).toImage()
    assert selected.pixelColor(12, 12).lightness() > 200  # white on the blue highlight


def test_a_window_left_on_the_list_opens_on_the_list_and_an_early_close_forgets_nothing(
    qtbot, docs, sample_path
):
    left = app.open_window(sample_path)
    assert left is not None
    left.tabs.setCurrentIndex(1)  # the list
    left.close()

    window = app.start([str(sample_path)])[0]
    # Not the timeline first and the list a moment later: the list from the first paint.
    assert window.is_built and window.tabs.currentIndex() == 1
    window.tabs.setCurrentIndex(0)
    window.close()

    early = app.start([str(sample_path)])[0]  # left on the timeline: built in two steps
    assert not early.is_built
    early.close()  # closed before its other rooms were built
    assert settings.window_state(sample_path).get("tab") == 0
    QApplication.processEvents()  # the deferred build finds the window closed: nothing happens
    assert not early.is_built
