"""Start the application: check for a display, make the QApplication, open windows.

Keeps the registry of open windows (one per file), restores each window as it was left, and
remembers the last file for the next start.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QWidget

    from ui.main_window import MainWindow

_windows: list[MainWindow] = []


def _has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def documents_folder() -> Path:
    """The user's documents folder, where new roadmaps and copies go by default."""
    from PySide6.QtCore import QStandardPaths

    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs) if docs else Path.home()


def sample_path() -> Path:
    """Where the sample roadmap lives: the user's documents folder."""
    folder = documents_folder() / "Roadmap Planner"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "Sample roadmap.roadmap"


def ensure_sample() -> Path:
    """The sample roadmap, created fresh if it is not there yet."""
    from planner.sample import build_sample

    path = sample_path()
    if not path.exists():
        build_sample(path).close()
    return path


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return a.absolute() == b.absolute()


def windows() -> list[MainWindow]:
    """The open windows, oldest first."""
    return list(_windows)


def find_window(path: str | Path) -> MainWindow | None:
    """The window that has this file open, if any."""
    for window in _windows:
        if _same_file(window.path, Path(path)):
            return window
    return None


def open_window(
    path: str | Path, parent: QWidget | None = None, *, deferred: bool = False
) -> MainWindow | None:
    """Open a file in a new window, or bring forward the window that has it already.

    ``deferred``: paint the timeline first and add the other rooms right after (the start-up
    path). Returns None when the file could not be opened (the user was told why) or was not
    opened.
    """
    from planner.errors import LockedError, RoadmapFileError
    from ui import errors, recent, settings
    from ui.main_window import MainWindow, open_roadmap

    path = Path(path)
    existing = find_window(path)
    if existing is not None:
        focus(existing)
        return existing
    try:
        roadmap = open_roadmap(path, parent)
    except LockedError:
        return None  # the user chose not to open it
    except RoadmapFileError as exc:
        if parent is None:  # a start with a file that cannot be opened: said over the window
            from PySide6.QtCore import QTimer  # that opens instead, once it is there

            message = str(exc)
            QTimer.singleShot(0, lambda: errors.show_file_error(
                _windows[-1] if _windows else None, message))  # fmt: skip
        else:
            errors.show_file_error(parent, str(exc))
        return None
    if roadmap is None:
        return None
    if deferred and _saved_tab(roadmap.path) > 0:
        deferred = False  # left on the list or the board: show that at once, not the timeline
    window = MainWindow(roadmap.path, roadmap, deferred=deferred)
    register(window)
    restore_state(window)
    window.show()
    restore_timeline(window)
    if parent is not None and not window.isMaximized():
        _cascade(window, parent)

    def remember() -> None:  # after the first paint when deferred: writing settings takes time
        restore_tab(window)
        recent.add(roadmap.path)
        settings.put("last_file", str(roadmap.path.resolve()))

    if window.is_built:
        remember()
    else:
        window.built.connect(remember)
    return window


def _cascade(window: MainWindow, parent: QWidget) -> None:
    if settings_known(window):
        return
    window.move(parent.pos().x() + 32, parent.pos().y() + 32)


def settings_known(window: MainWindow) -> bool:
    from ui import settings

    return bool(settings.window_state(window.path).get("geometry"))


def focus(window: MainWindow) -> None:
    if window.isMinimized():
        window.showNormal()
    window.show()
    bring_forward(window)


def bring_forward(widget: QWidget) -> None:
    """Raise and activate a window (the offscreen platform cannot, and says so)."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        widget.raise_()
        widget.activateWindow()


def register(window: MainWindow) -> None:
    """Track a window so a second open of its file focuses it instead."""
    if window not in _windows:
        _windows.append(window)


def forget_window(window: MainWindow) -> None:
    """Called as a window closes: remember how it was left and drop it from the registry."""
    try:
        save_state(window)
    finally:
        if window in _windows:
            _windows.remove(window)
            window.deleteLater()  # a closed window is gone; its file is already closed


def _saved_tab(path: Path) -> int:
    from ui import settings

    try:
        return int(settings.window_state(path).get("tab", 0) or 0)
    except (TypeError, ValueError):
        return 0


def save_state(window: MainWindow) -> None:
    """Size, position, dock layout, zoom, active view and tab of this file's window."""
    from ui import settings

    state: dict[str, object] = {
        "geometry": window.saveGeometry(),
        "state": window.saveState(),
        # Closed before its other tabs were there: the tab it was left on stays remembered.
        "tab": window.tabs.currentIndex() if window.is_built else _saved_tab(window.path),
    }
    timeline = getattr(window, "timeline", None)
    try:  # the timeline's zoom (pixels per day) and the date at its left edge
        state["zoom"] = float(timeline.time_scale.px_per_day)  # type: ignore[union-attr]
        state["left_date"] = timeline.date_at(0).isoformat()  # type: ignore[union-attr]
    except Exception:  # a timeline without these: nothing to remember
        pass
    view = getattr(window.document, "active_view", None)
    state["view"] = int(getattr(view, "id", 0) or 0)
    settings.put_window_state(window.path, state)


def restore_state(window: MainWindow) -> None:
    """Put the window back as it was left; anything unreadable keeps its default."""
    from PySide6.QtCore import QByteArray

    from ui import settings

    state = settings.window_state(window.path)
    geometry = state.get("geometry")
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    dock_state = state.get("state")
    if isinstance(dock_state, QByteArray) and not dock_state.isEmpty():
        window.restoreState(dock_state)
    try:
        view_id = int(state.get("view") or 0)
    except (TypeError, ValueError):
        view_id = 0
    if view_id:
        try:
            view = window.roadmap.view(view_id)
        except Exception:  # the view was deleted since: show everything
            view = None
        if view is not None:
            window.document.set_active_view(view)


def restore_tab(window: MainWindow) -> None:
    """Show the tab (timeline, list, board) the window was left on."""
    from ui import settings

    state = settings.window_state(window.path)
    try:
        tab = int(state.get("tab", -1))
    except (TypeError, ValueError):
        tab = -1
    if 0 <= tab < window.tabs.count():
        window.tabs.setCurrentIndex(tab)


def restore_timeline(window: MainWindow) -> None:
    """Zoom and scroll the timeline as it was left (once the window is shown and sized)."""
    import datetime as dt

    from ui import settings

    state = settings.window_state(window.path)
    timeline = getattr(window, "timeline", None)
    if timeline is None or "zoom" not in state:
        return
    try:
        timeline.set_zoom(float(state["zoom"]), 0.0)
        left = dt.date.fromisoformat(str(state["left_date"]))
        bar = timeline.horizontalScrollBar()
        bar.setValue(bar.value() + timeline.x_for_date(left))
    except Exception:  # an unreadable value or a changed timeline: keep its default
        pass


def first_run_hint() -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate(
        "app",
        "Welcome! This is a sample roadmap: drag cards to plan, double-click a lane to add a "
        "card, or choose File ▸ New to start your own.",
    )


def _file_args(args: Sequence[str]) -> list[str]:
    files, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-platform", "-style"):
            skip = True  # Qt's own option and its value
        elif not arg.startswith("-"):
            files.append(arg)
    return files


def start(args: Sequence[str]) -> list[MainWindow]:
    """Open the windows a start asks for: the files given, the sample, or the last file."""
    from ui import settings

    files = _file_args(args)
    for name in files:
        open_window(Path(name), deferred=True)
    if "--sample" in args:
        open_window(ensure_sample(), deferred=True)
    if not files and "--sample" not in args:
        last = str(settings.get("last_file") or "")
        if last and Path(last).exists():
            open_window(Path(last), deferred=True)
        if not _windows:
            window = open_window(ensure_sample(), deferred=True)
            if window is not None and not last:
                window.statusBar().showMessage(first_run_hint())
    if not _windows and files:
        open_window(ensure_sample())
    return windows()


def setup(app: QApplication) -> None:
    """Names, icon, look and the error dialog for a freshly made QApplication."""
    from ui import errors, icons, theme

    app.setApplicationName("Roadmap Planner")
    app.setOrganizationName("Roadmap Planner")
    app.setApplicationDisplayName("Roadmap Planner")
    import planner

    app.setApplicationVersion(planner.__version__)
    app.setWindowIcon(icons.icon("app"))
    theme.apply(app)
    errors.install()


def _qt_args(args: Sequence[str]) -> list[str]:
    out = []
    for i, arg in enumerate(args):
        if arg in ("-platform", "-style") and i + 1 < len(args):
            out += [arg, args[i + 1]]
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if any(a in ("-h", "--help") for a in args):
        print("usage: roadmap [FILE | --sample]   (roadmap --help-commands for headless commands)")
        return 0
    if not _has_display():
        print(
            "roadmap: no display found (DISPLAY is not set), so the window cannot open; "
            "use `roadmap info|export FILE` to work without one",
            file=sys.stderr,
        )
        return 1
    # Starting makes many objects and next to no garbage: the cycle collector, which would
    # walk them all again and again (about 8 ms at start), waits until the window is built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication
        from PySide6.QtWidgets import QApplication

        # Fractional scaling (150 %) as the desktop asks, not rounded to 100 % or 200 %.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
        app = QApplication.instance()
        assert app is None or isinstance(app, QApplication)
        app = app or QApplication([sys.argv[0], *_qt_args(args)])
        setup(app)
        opened = start(args)
    finally:
        if collecting:
            _collect_once_built()
    if not opened:
        return 1
    if os.environ.get("ROADMAP_BENCH_FIRST_PAINT"):
        _quit_after_first_paint(_windows[0])
    return int(app.exec())


def _collect_once_built() -> None:
    """Turn the cycle collector back on once the first window is built (now if it is, or if
    there is none)."""
    window = _windows[0] if _windows else None
    if window is None or window.is_built:
        gc.enable()
    else:
        window.built.connect(gc.enable)
        window.destroyed.connect(lambda *_: gc.enable())  # closed before it was built


def _quit_after_first_paint(window: MainWindow) -> None:
    """Benchmark hook: print the time of the timeline's first paint, then quit (bench/)."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    def peak() -> None:  # this process's own peak (ru_maxrss would include the parent's)
        try:
            status = Path("/proc/self/status").read_text()
            kb = next(line.split()[1] for line in status.splitlines() if line[:6] == "VmHWM:")
            print(f"peak-kb {kb}", flush=True)
        except (OSError, StopIteration, IndexError):
            pass

    def complete() -> None:  # every room built: the rest of the window is there too
        print(f"complete {time.time():.6f}", flush=True)
        QApplication.quit()

    def report() -> None:  # runs once the paint that triggered it has finished
        print(f"first-paint {time.time():.6f}", flush=True)
        peak()
        if window.is_built:
            complete()
        else:
            window.built.connect(lambda: QTimer.singleShot(0, complete))

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                QTimer.singleShot(0, report)
            return False

    timeline = getattr(window, "timeline", None)
    target = timeline.viewport() if timeline is not None else window
    target.installEventFilter(FirstPaint(target))
