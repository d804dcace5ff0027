"""The main window: timeline in the centre, backlog left, card editor right, menus."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QEvent, QObject, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoGroup, QUndoStack
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QTabWidget, QWidget

from planner.errors import LockedError
from planner.store import Roadmap
from ui import app
from ui.document import Document


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file is at ``path`` (device and inode), to notice it deleted or replaced."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def open_roadmap(path: Path, parent: QWidget | None = None) -> Roadmap:
    """Open a file for editing; if another window or program has it, offer read-only or a copy."""
    try:
        return Roadmap.open(path)
    except LockedError as exc:
        from ui import file_actions  # with the File menu, after the first paint

        choice = file_actions.ask_locked(parent, str(exc))
        if choice == "read_only":
            return Roadmap.open(path, read_only=True)
        if choice == "copy":
            return file_actions.open_copy(Path(path))
        raise


# The docks every window has, made before the window is laid out so a saved layout restores
# them at once (their contents come with their rooms): name, title, area, shown at first.
# The width each keeps until its room is in: about the room's own, so nothing moves then.
_DOCKS: tuple[tuple[str, object, Qt.DockWidgetArea, bool, int], ...] = (
    ("backlog_dock", QT_TRANSLATE_NOOP("MainWindow", "Backlog"),
     Qt.DockWidgetArea.LeftDockWidgetArea, True, 264),
    ("editor_dock", QT_TRANSLATE_NOOP("MainWindow", "Card"),
     Qt.DockWidgetArea.RightDockWidgetArea, True, 380),
    ("history_dock", QT_TRANSLATE_NOOP("MainWindow", "Undo History"),
     Qt.DockWidgetArea.RightDockWidgetArea, False, 260),
    ("changes_dock", QT_TRANSLATE_NOOP("MainWindow", "Changes"),
     Qt.DockWidgetArea.RightDockWidgetArea, False, 320),
)  # fmt: skip


class _Placeholder(QWidget):
    """An empty dock's contents until its room comes: as wide as the room will be."""

    def __init__(self, width: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._width = width

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(self._width, 300)


class _FirstPaint(QObject):
    """Calls back once, when the watched window's first paint has been flushed.

    The window paints before its children in one pass: the call waits two turns of the
    event loop, so the children painted in that pass (the timeline) are on screen first.
    """

    def __init__(self, target: QWidget, callback: Any) -> None:
        super().__init__(target)
        self._callback = callback
        target.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._callback))
        return False


class MainWindow(QMainWindow):
    """One window per open roadmap file.

    The window is built in two steps: first what the first paint shows (menus, tool bars,
    legend, the timeline and the empty docks), then the other rooms (backlog, card editor, list,
    board, export, snapshots ...). ``deferred=True`` leaves the second step to the turn of the
    event loop after the timeline's first paint, so a large roadmap is on screen sooner;
    otherwise the window is complete when the constructor returns.
    """

    built = Signal()  # every room is in place (emitted once)

    def __init__(
        self, path: str | Path, roadmap: Roadmap | None = None, *, deferred: bool = False
    ) -> None:
        super().__init__()
        self.path = Path(path)
        self.roadmap = roadmap if roadmap is not None else Roadmap.open(self.path)
        # Deferred: a big roadmap's cards are read in chunks after the first paint.
        self.document = Document(self.roadmap, self, progressive=deferred)
        # One undo stack per plan or scenario; the group's active one is the plan in view.
        self.undo_group = QUndoGroup(self)
        self.undo_group.setActiveStack(QUndoStack(self.undo_group))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
        self.resize(1400, 860)

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.setCentralWidget(self.tabs)
        self.toolbar = self.addToolBar(self.tr("Main"))
        self.toolbar.setObjectName("main_toolbar")
        self._build_menus()
        self.is_built = False
        self._build_first()
        self._saved_label = QLabel(self)
        self._saved_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addPermanentWidget(self._saved_label)
        self.document.changed.connect(self._on_document_changed)
        self.document.load_progress.connect(self._on_load_progress)
        # A failed write is reported in the status bar by the room that made it: re-check then.
        self.statusBar().messageChanged.connect(self._update_saved)
        self._file_identity = _identity(self.path)
        self._update_title()
        self._update_saved()
        if deferred:  # after the first paint; or soon in any case (a minimised window)
            _FirstPaint(self, self._after_first_paint)
            QTimer.singleShot(1000, self._after_first_paint)
        else:
            self.finish_building()

    @property
    def undo_stack(self) -> QUndoStack:
        """The undo stack of the plan or scenario in view."""
        return self.undo_group.activeStack()

    # ----- building

    def dock(
        self, name: str, title: str, area: Qt.DockWidgetArea, shown: bool = True
    ) -> QDockWidget:
        """The dock called ``name``, made (in ``area``, shown or not) if the window has none yet.

        A dock made before the window's layout was restored keeps the restored place and
        visibility when its room fills it.
        """
        dock = self.findChild(QDockWidget, name, Qt.FindChildOption.FindDirectChildrenOnly)
        if dock is None:
            dock = QDockWidget(title, self)
            dock.setObjectName(name)
            self.addDockWidget(area, dock)
            dock.setVisible(shown)
        else:
            dock.setWindowTitle(title)
            held = dock.widget()
            if isinstance(held, _Placeholder):  # the room puts its own widget in
                held.hide()
                held.deleteLater()
        return dock

    def _build_first(self) -> None:
        """What the first paint shows: the timeline, the tool bars, the legend and the docks."""
        from ui.timeline.view import TimelineView
        from ui.timeline.view import install_actions as install_timeline_actions

        for name, title, area, shown, width in _DOCKS:
            dock = self.dock(name, self.tr(str(title)), area, shown)
            dock.setWidget(_Placeholder(width, dock))
        self.timeline = TimelineView(self.document, self.undo_stack, self)
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        if self.document.loading and not self.document.announces_load:
            # Only the lanes at the top are read yet. Right after the timeline picks where to
            # look (it was just queued), and before the first paint: if it fitted the cards
            # in (none was on screen), read the rest now and fit them all, as a full read would.
            fitted: list[bool] = []
            plain_fit = self.timeline.fit

            def fit() -> None:
                fitted.append(True)
                plain_fit()

            self.timeline.fit = fit  # type: ignore[method-assign]
            QTimer.singleShot(0, lambda: self._after_initial_scroll(bool(fitted)))
        install_timeline_actions(self)

        from ui import filter_bar, legend, snapshots, views_panel

        views_panel.install(self)
        filter_bar.install(self)
        legend.install(self)
        snapshots.install(self)

    def _after_initial_scroll(self, fitted: bool) -> None:
        del self.timeline.fit  # the timeline's own again
        if self.roadmap.closed or not fitted or not self.document.loading:
            return  # the view opened where it was left or on today: the first lanes fill it
        self.document.finish_loading()
        self.timeline.fit()
        bar = self.timeline.verticalScrollBar()
        bar.setValue(bar.minimum())

    def _install_file_actions(self) -> None:
        """File ▸ New, Open, Recent, Save a Copy, Quit; Edit ▸ Preferences; Help (once)."""
        if not hasattr(self, "file_actions"):
            from ui import file_actions

            self.file_actions = file_actions.install(self)

    def _after_first_paint(self) -> None:
        if self.roadmap.closed:
            return
        # The menus' entries first: a big roadmap builds its rooms only once its cards are in.
        self._install_file_actions()
        self.finish_building()

    def finish_building(self) -> None:
        """Add the other rooms (backlog, editor, list, board, export ...); once only."""
        if self.is_built or self.roadmap.closed:
            return
        self._install_file_actions()
        if self.document.loading:  # a big roadmap: once its cards are read, so each room
            self.document.when_loaded(self.finish_building)  # fills itself once
            return
        self.is_built = True
        self.timeline.enable_pinch()
        self.history_dock = self.dock("history_dock", self.tr("Undo History"),
                                      Qt.DockWidgetArea.RightDockWidgetArea, False)  # fmt: skip
        from PySide6.QtWidgets import QUndoView  # after the first paint, with its item views

        self.history_view = QUndoView(self.undo_group, self.history_dock)
        self.history_view.setEmptyLabel(self.tr("Opened"))
        self.history_dock.setWidget(self.history_view)
        from ui import data_export, export

        export.install(self)
        data_export.install(self)
        history = self.history_dock.toggleViewAction()
        history.setText(self.tr("Undo &History"))
        self.view_menu.addAction(history)

        from ui import backlog, card_editor, lanes_dialog, list_view, objectives, tags

        card_editor.install(self)
        backlog.install(self)
        list_view.install(self)
        objectives.install(self)
        lanes_dialog.install(self)
        tags.install(self)

        from ui import board, presentation

        board.install(self)
        presentation.install(self)
        self.built.emit()  # the rooms' last parts (the Changes list ...) come in on this
        from ui import shortcuts

        shortcuts.name_widgets(self)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu(self.tr("&File"))
        close = QAction(self.tr("&Close"), self)
        close.setShortcut(QKeySequence.StandardKey.Close)
        close.triggered.connect(self.close)
        self.file_menu.addAction(close)

        self.edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_group.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_group.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts(QKeySequence.StandardKey.Redo)  # Ctrl+Y and Ctrl+Shift+Z
        self.edit_menu.addAction(self.undo_action)
        self.edit_menu.addAction(self.redo_action)

        self.view_menu = bar.addMenu(self.tr("&View"))
        self.roadmap_menu = bar.addMenu(self.tr("&Roadmap"))
        self.help_menu = bar.addMenu(self.tr("&Help"))
        # File, Edit ▸ Preferences and Help get their entries (file_actions.install) right
        # after the first paint: no menu is open before it.

    # ----- state shown in the chrome

    def _update_title(self) -> None:
        suffix = self.tr(" [read-only]") if self.roadmap.read_only else ""
        label = self.document.plan_label()
        shown = f" — {label}" if label else ""
        self.setWindowTitle(f"{self.roadmap.title}{shown} — {self.path.name}{suffix}")
        self.setWindowFilePath(str(self.path))

    def _update_saved(self, *_: object) -> None:
        if self.roadmap.closed:
            return
        problem = self.save_problem()
        if problem:
            self._saved_label.setText(self.tr("Not saved: %1").replace("%1", problem))
        elif self.roadmap.read_only:
            self._saved_label.setText(self.tr("Read-only: changes cannot be made"))
        elif self.roadmap.last_write is None:
            self._saved_label.setText(self.tr("All changes saved"))
        else:
            when = self.roadmap.last_write.strftime("%H:%M:%S")
            self._saved_label.setText(self.tr("All changes saved at %1").replace("%1", when))

    def save_problem(self) -> str | None:
        """Why edits are not reaching the file (write failed, file deleted or moved), or None."""
        if not self.roadmap.read_only and _identity(self.path) != self._file_identity:
            return self.tr("%1 was deleted or moved while open. Use File ▸ Save a Copy to keep"
                           " your work.").replace("%1", self.path.name)  # fmt: skip
        if self.roadmap.write_error:
            return self.tr("%1. Use File ▸ Save a Copy to keep your work elsewhere.").replace(
                "%1", self.roadmap.write_error)
        return None

    def _on_load_progress(self, done: int, total: int) -> None:
        if not self.document.announces_load:
            return  # the lanes below the first screen: read in one go, nothing to tell
        if done < total:
            self.statusBar().showMessage(self.tr("Loading cards… %1 of %2")
                                         .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))
        else:
            self.statusBar().showMessage(self.tr("%1 cards loaded").replace("%1", f"{total:,}"),
                                         3000)

    def _on_document_changed(self, changes: list[Any]) -> None:
        if any(c.entity in ("roadmap", "plan") for c in changes):
            self._update_title()
        self._update_saved()

    # ----- closing

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.roadmap.closed:
            app.forget_window(self)  # remembers the window's layout for this file
            self.document.detach()
            self.roadmap.close()
        super().closeEvent(event)
