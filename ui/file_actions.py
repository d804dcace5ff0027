"""The File menu (New, New from Sample, Open, Open Recent, Save a Copy As, Close, Quit), the
Edit ▸ Preferences and Help entries, and opening .roadmap files dropped onto a window.

There is no Save: every change is in the file the moment it is made. File dialogs and the
"file in use" question go through small functions (`ask_*`) that tests replace.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QObject, Qt
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from planner.errors import RoadmapFileError
from planner.store import Roadmap, _acquire_lock
from ui import app, errors, icons, recent
from ui.shortcuts import RECENT_MENU

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from ui.main_window import MainWindow

FILTER = "Roadmaps (*.roadmap)"
SUFFIX = ".roadmap"
USER_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "user-guide.md"


def _tr(text: str) -> str:
    return QCoreApplication.translate("file_actions", text)


# ----- questions to the user (tests replace these)


def ask_open_path(parent: QWidget | None) -> Path | None:
    """Ask which roadmap to open."""
    from PySide6.QtWidgets import QFileDialog  # the dialogs load when first asked for

    name, _ = QFileDialog.getOpenFileName(
        parent, _tr("Open Roadmap"), str(_start_folder()), _tr(FILTER)
    )
    return Path(name) if name else None


def ask_save_path(
    parent: QWidget | None, caption: str, suggested: Path, replace: bool = True
) -> Path | None:
    """Ask where a file goes (``replace``: offer to replace an existing one); adds .roadmap."""
    from PySide6.QtWidgets import QFileDialog

    dialog_options = QFileDialog.Option(0)
    if not replace:
        dialog_options |= QFileDialog.Option.DontConfirmOverwrite
    name, _ = QFileDialog.getSaveFileName(
        parent, caption, str(suggested), _tr(FILTER), "", dialog_options
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


def ask_locked(parent: QWidget | None, message: str) -> str | None:
    """The file is in use elsewhere: "read_only", "copy" or None (cancel)."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("File in Use"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(message)
    box.setInformativeText(
        _tr("Open it read-only to look without changing it, or open a copy to work on.")
    )
    read_only = box.addButton(_tr("Open Read-Only"), QMessageBox.ButtonRole.AcceptRole)
    copy = box.addButton(_tr("Open a Copy"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    if box.clickedButton() is read_only:
        return "read_only"
    if box.clickedButton() is copy:
        return "copy"
    return None


def open_url(url: QUrl) -> bool:
    """Hand a link to the desktop (only ever after an explicit click)."""
    from PySide6.QtGui import QDesktopServices

    return QDesktopServices.openUrl(url)


# ----- file operations


def _start_folder() -> Path:
    files = recent.files()
    for path in files:
        if path.parent.exists():
            return path.parent
    return app.documents_folder()


def unique_path(folder: Path, stem: str) -> Path:
    """A name in ``folder`` that is not taken yet: "stem.roadmap", "stem 2.roadmap", ..."""
    candidate = folder / f"{stem}{SUFFIX}"
    n = 2
    while candidate.exists():
        candidate = folder / f"{stem} {n}{SUFFIX}"
        n += 1
    return candidate


def open_copy(path: Path) -> Roadmap:
    """Copy a file someone else is editing into the documents folder and open the copy."""
    source = Roadmap.open(path, read_only=True)
    try:
        target = unique_path(app.documents_folder(), f"{path.stem} (copy)")
        source.save_copy(target)
    finally:
        source.close()
    return Roadmap.open(target)


def _in_use(window: MainWindow, target: Path) -> bool:
    """Whether a window here or another program is editing ``target``."""
    if app.find_window(target) is not None or target.resolve() == window.path.resolve():
        return True
    if not target.exists():
        return False
    try:
        fd = _acquire_lock(target)
    except RoadmapFileError:
        return True
    os.close(fd)
    return False


def _refuse_open_target(window: MainWindow, target: Path) -> bool:
    """A file open in a window (ours or another program's) is never replaced."""
    if _in_use(window, target):
        errors.show_file_error(
            window,
            _tr("%1 is open in a window; choose another name").replace("%1", target.name),
            _tr("Cannot Write File"),
        )
        return True
    return False


def new_roadmap(window: MainWindow) -> None:
    """File ▸ New: an empty roadmap in a file the user names."""
    target = ask_save_path(
        window,
        _tr("New Roadmap"),
        unique_path(_start_folder(), _tr("Untitled roadmap")),
        replace=False,
    )
    if target is None:
        return
    try:
        Roadmap.create(target, title=target.stem).close()  # never replaces an existing file
    except RoadmapFileError as exc:
        errors.show_file_error(window, str(exc), _tr("Cannot Create File"))
        return
    app.open_window(target, window)


def new_from_sample(window: MainWindow) -> None:
    """File ▸ New from Sample: a fresh copy of the sample roadmap to explore or adapt."""
    from planner.sample import build_sample

    target = ask_save_path(
        window,
        _tr("New from Sample"),
        unique_path(_start_folder(), _tr("Sample roadmap")),
        replace=False,
    )
    if target is None:
        return
    if target.exists():
        errors.show_file_error(
            window,
            _tr("%1 already exists; choose another name").replace("%1", target.name),
            _tr("Cannot Create File"),
        )
        return
    try:
        build_sample(target).close()
    except (RoadmapFileError, OSError) as exc:
        message = str(exc) if isinstance(exc, RoadmapFileError) else exc.strerror or str(exc)
        errors.show_file_error(window, message, _tr("Cannot Create File"))
        return
    app.open_window(target, window)


def open_file(window: MainWindow) -> None:
    """File ▸ Open."""
    path = ask_open_path(window)
    if path is not None:
        app.open_window(path, window)


def open_recent(window: MainWindow, path: Path) -> None:
    """File ▸ Open Recent ▸ a file; a file that is gone is dropped from the list."""
    if not path.exists():
        recent.remove(path)
        window.statusBar().showMessage(
            _tr("%1 no longer exists; removed from the recent files").replace("%1", str(path)),
            8000,
        )
        return
    app.open_window(path, window)


def save_copy_as(window: MainWindow) -> Path | None:
    """File ▸ Save a Copy As: a consistent copy of the open file, which stays open."""
    suggested = unique_path(window.path.parent, f"{window.path.stem} (copy)")
    target = ask_save_path(window, _tr("Save a Copy As"), suggested)
    if target is None or _refuse_open_target(window, target):
        return None
    try:
        window.roadmap.save_copy(target)
    except RoadmapFileError as exc:
        errors.show_file_error(window, str(exc), _tr("Cannot Write File"))
        return None
    recent.add(target)
    window.statusBar().showMessage(_tr("Saved a copy as %1").replace("%1", str(target)), 8000)
    return target


def quit_app() -> None:
    """File ▸ Quit: close every window (each remembers its layout); nothing is left unsaved."""
    for window in app.windows():
        window.close()
    QApplication.closeAllWindows()


# ----- dropping files onto a window


def roadmap_paths(mime: QMimeData) -> list[Path]:
    """The local .roadmap files a drag carries; empty for anything else (cards, text, ...)."""
    if not mime.hasUrls():
        return []
    paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p.suffix.lower() == SUFFIX]


# ----- menus


def _shortcut(
    action: QAction, standard: QKeySequence.StandardKey | None, fallback: str = ""
) -> None:
    """The platform's standard shortcut, or ``fallback`` where the platform has none."""
    keys = QKeySequence.keyBindings(standard) if standard is not None else []
    if keys:
        action.setShortcuts(keys)
    elif fallback:
        action.setShortcut(QKeySequence(fallback))


def _action(window: MainWindow, text: str, slot: Callable[[], object], icon: str | None = None,
            standard: QKeySequence.StandardKey | None = None, fallback: str = "",
            role: QAction.MenuRole | None = None) -> QAction:  # fmt: skip
    action = QAction(text, window)
    if icon:
        action.setIcon(icons.icon(icon))
    _shortcut(action, standard, fallback)
    if role is not None:
        action.setMenuRole(role)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _fill_recent(window: MainWindow, menu: QMenu) -> None:
    menu.clear()
    paths = recent.files()
    if not paths:
        empty = menu.addAction(_tr("No Recent Files"))
        empty.setEnabled(False)
    missing = False
    for n, path in enumerate(paths, start=1):
        label = path.name.replace("&", "&&")
        if not path.exists():
            missing = True
            label = _tr("%1 (missing)").replace("%1", label)
        prefix = f"&{n % 10} " if n <= 10 else ""
        action = menu.addAction(prefix + label)
        action.setData(str(path))
        action.setStatusTip(str(path))
        action.setToolTip(str(path))
        action.triggered.connect(lambda _checked=False, p=path: open_recent(window, p))
    menu.addSeparator()
    remove = menu.addAction(_tr("&Remove Missing Files"))
    remove.setEnabled(missing)
    remove.triggered.connect(lambda _checked=False: recent.remove_missing())
    clear = menu.addAction(_tr("&Clear Recent Files"))
    clear.setEnabled(bool(paths))
    clear.triggered.connect(lambda _checked=False: recent.clear())


def _show_preferences(window: MainWindow) -> None:
    from ui import preferences

    preferences.show_preferences(window)


def _show_about(window: MainWindow) -> None:
    from ui import about

    about.show_about(window)


class FileActions(QObject):
    """The File menu, Edit ▸ Preferences, the Help menu, and .roadmap files dropped on a window.

    Also the window's event filter: accepts .roadmap files dropped anywhere on it, while other
    drags (cards between timeline and backlog) pass through untouched.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from ui import shortcuts

        self.window = window
        tr = window.tr
        self.new = _action(window, tr("&New…"), lambda: new_roadmap(window), "new",
                           QKeySequence.StandardKey.New, "Ctrl+N")  # fmt: skip
        self.new_sample = _action(window, tr("New from &Sample…"),
                                  lambda: new_from_sample(window), "sample", None,
                                  "Ctrl+Shift+N")  # fmt: skip
        self.open = _action(window, tr("&Open…"), lambda: open_file(window), "open",
                            QKeySequence.StandardKey.Open, "Ctrl+O")  # fmt: skip
        self.recent_menu = QMenu(tr("Open &Recent"), window)
        self.recent_menu.setObjectName(RECENT_MENU)
        self.recent_menu.aboutToShow.connect(self._on_recent_menu_about_to_show)
        _fill_recent(window, self.recent_menu)
        self.save_copy = _action(window, tr("Save a &Copy As…"), lambda: save_copy_as(window),
                                 "save-copy", QKeySequence.StandardKey.SaveAs,
                                 "Ctrl+Shift+S")  # fmt: skip
        self.quit = _action(window, tr("&Quit"), quit_app, "quit", QKeySequence.StandardKey.Quit,
                            "Ctrl+Q", QAction.MenuRole.QuitRole)  # fmt: skip

        menu = window.file_menu
        existing = menu.actions()
        if existing:
            first = existing[0]
            menu.insertActions(first, [self.new, self.new_sample, self.open])
            menu.insertMenu(first, self.recent_menu)
            menu.insertSeparator(first)
            menu.insertAction(first, self.save_copy)
            menu.insertSeparator(first)
        else:
            menu.addActions([self.new, self.new_sample, self.open])
            menu.addMenu(self.recent_menu)
            menu.addSeparator()
            menu.addAction(self.save_copy)
            menu.addSeparator()
        for action in existing:
            if "close" in action.text().lower():
                action.setIcon(icons.icon("close"))
                if action.shortcut().isEmpty():
                    action.setShortcut(QKeySequence("Ctrl+W"))
        menu.addSeparator()
        menu.addAction(self.quit)

        self.preferences = _action(window, tr("&Preferences…"),
                                   lambda: _show_preferences(window), "preferences",
                                   QKeySequence.StandardKey.Preferences, "Ctrl+,",
                                   QAction.MenuRole.PreferencesRole)  # fmt: skip
        # Right after Undo and Redo, whatever the rooms added to the Edit menu since.
        edit = window.edit_menu
        entries = edit.actions()
        place = entries.index(window.redo_action) + 1 if window.redo_action in entries else 0
        if place and place < len(entries):
            edit.insertSeparator(entries[place])
            edit.insertAction(entries[place], self.preferences)
        else:
            edit.addSeparator()
            edit.addAction(self.preferences)
        window.undo_action.setIcon(icons.icon("undo"))
        window.redo_action.setIcon(icons.icon("redo"))

        self.user_guide = _action(window, tr("User &Guide"), lambda: open_user_guide(window),
                                  "help", QKeySequence.StandardKey.HelpContents,
                                  "F1")  # fmt: skip
        self.shortcuts = _action(window, tr("&Keyboard Shortcuts"),
                                 lambda: shortcuts.show_shortcuts(window), "keyboard", None,
                                 "Ctrl+/")  # fmt: skip
        self.about = _action(window, tr("&About Roadmap Planner"),
                             lambda: _show_about(window), "about", None, "",
                             QAction.MenuRole.AboutRole)  # fmt: skip
        window.help_menu.addActions([self.user_guide, self.shortcuts])
        window.help_menu.addSeparator()
        window.help_menu.addAction(self.about)

        window.setAcceptDrops(True)
        window.installEventFilter(self)

    def _on_recent_menu_about_to_show(self) -> None:
        _fill_recent(self.window, self.recent_menu)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDropEvent)  # drag enter and move events are drop events too
        paths = roadmap_paths(event.mimeData())
        if not paths:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            for path in paths:
                app.open_window(path, self.window)
        return True


def install(window: MainWindow) -> FileActions:
    """Fill the window's File menu, add Edit ▸ Preferences and the Help menu, accept drops."""
    return FileActions(window)


def open_user_guide(window: MainWindow) -> None:
    """Help ▸ User Guide: the guide in docs/, opened by the desktop."""
    if USER_GUIDE.exists():
        from PySide6.QtCore import QUrl

        open_url(QUrl.fromLocalFile(str(USER_GUIDE)))
    else:
        with contextlib.suppress(Exception):
            window.statusBar().showMessage(_tr("The user guide is not installed"), 8000)
