"""In-process timings of the window on a synthetic roadmap, offscreen.

Opening the file, the first paint of a new window, one frame of panning and of zooming with the
timeline's viewport at 1920x1080, a drag commit (mouse release to the row in the file) and the
undo of a 1,000-card move. Every frame is a forced synchronous paint of the whole viewport (plus
the time header and lane names, in one pass), the worst case of what a real frame paints.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM") or "offscreen"

VIEWPORT = (1920, 1080)
_START_SQL = "SELECT start_date FROM cards WHERE plan_id = ? AND id = ?"
_QUIET = ("propagateSizeHints",)  # the offscreen platform says so on every window shown


def _on_qt_message(mode: Any, context: Any, message: str) -> None:
    if not any(q in message for q in _QUIET):
        print(message, file=sys.stderr)


def median_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def application() -> Any:
    """The QApplication, with a throwaway settings store so the user's settings stay untouched."""
    from PySide6.QtCore import QCoreApplication, QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        qInstallMessageHandler(_on_qt_message)
        folder = tempfile.mkdtemp(prefix="roadmap-bench-settings-")
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(QSettings.Format.IniFormat, scope, folder)
        app = QApplication(["roadmap-bench"])
        QCoreApplication.setOrganizationName("roadmap-bench")
        QCoreApplication.setApplicationName("Roadmap Planner")
    return app


def _wait(app: Any, done: Callable[[], bool], timeout: float = 60.0) -> None:
    end = time.perf_counter() + timeout
    while not done():
        app.processEvents()
        if time.perf_counter() > end:
            raise TimeoutError("the window never painted")


def _ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0


def open_file(path: Path, repeat: int) -> float:
    """Median ms to open the file and read every card, lane, milestone and dependency."""
    from planner.store import Roadmap

    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with Roadmap.open(path, read_only=True) as roadmap:
            roadmap.cards()
            roadmap.lanes()
            roadmap.milestones()
            roadmap.dependencies()
            times.append(_ms(t0))
    return statistics.median(times)


class _PaintWatch:
    """Notes when a widget has painted (the filter runs before the paint; the flag after)."""

    def __init__(self, widget: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        self.painted = False
        self.seen = False

        def mark() -> None:
            self.painted = True

        watch = self

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:  # noqa: N802 - Qt override
                if event.type() == QEvent.Type.Paint and not watch.seen:
                    watch.seen = True
                    QTimer.singleShot(0, mark)
                return False

        self.filter = Filter(widget)
        widget.installEventFilter(self.filter)


def open_window(path: Path) -> tuple[Any, float]:
    """A shown MainWindow on ``path`` with a 1920x1080 timeline, and ms to its first paint."""
    from ui.main_window import MainWindow

    app = application()
    t0 = time.perf_counter()
    window = MainWindow(path)
    watch = _PaintWatch(window.timeline.viewport())
    window.resize(1400, 860)
    window.show()
    _wait(app, lambda: watch.painted)
    first_paint = _ms(t0)
    vp = window.timeline.viewport()
    for _ in range(3):  # a scroll bar that comes or goes changes the viewport again
        window.resize(window.width() + VIEWPORT[0] - vp.width(),
                      window.height() + VIEWPORT[1] - vp.height())  # fmt: skip
        app.processEvents()
    return window, first_paint


def close_window(window: Any) -> None:
    app = application()
    window.close()
    window.deleteLater()
    app.processEvents()
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def settle(seconds: float) -> None:
    """Run the event loop for a while, as a window shown on screen does between actions."""
    app = application()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.005)


def _frame(timeline: Any) -> None:
    """A forced, synchronous paint of the whole viewport, the time header and the lane names.

    ``repaint`` paints every widget of the window marked dirty in the same pass, so the header
    and lane names are painted once, with the viewport.
    """
    timeline.header.update()
    timeline.lane_names.update()
    timeline.viewport().repaint()


def pan_frames(timeline: Any, frames: int = 100, step: int = 60) -> list[float]:
    """Ms per frame of panning sideways ``step`` pixels (half the frames each way)."""
    bar = timeline.horizontalScrollBar()
    times = []
    for i in range(frames):
        direction = 1 if (i // 10) % 2 == 0 else -1
        t0 = time.perf_counter()
        bar.setValue(bar.value() + direction * step)
        _frame(timeline)
        times.append(_ms(t0))
    return times


def zoom_frames(timeline: Any, frames: int = 100, factor: float = 1.1) -> list[float]:
    """Ms per frame of zooming by ``factor`` around the middle (in ten times, out ten times)."""
    times = []
    for i in range(frames):
        f = factor if (i // 10) % 2 == 0 else 1 / factor
        t0 = time.perf_counter()
        timeline.zoom_by(f)
        _frame(timeline)
        times.append(_ms(t0))
    return times


def _visible_cards(timeline: Any, min_width: int = 60) -> list[int]:
    vp = timeline.viewport().rect().adjusted(80, 80, -80, -80)
    result = []
    for cid in timeline.timeline_scene.card_items:
        r = timeline.card_rect(cid)
        if not r.isEmpty() and r.width() >= min_width and vp.contains(r.center()):
            result.append(cid)
    return result


def drag_commits(window: Any, drags: int = 20) -> list[float]:
    """Ms from sending a mouse release to the moved row being in the file, per drag."""
    import datetime as dt
    import sqlite3

    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    timeline = window.timeline
    app = application()
    viewport = timeline.viewport()
    check = sqlite3.connect(f"file:{window.roadmap.path}?mode=ro", uri=True)
    cards = _visible_cards(timeline)
    if not cards:
        raise RuntimeError("no card to drag in view")
    px_week = 14 * timeline.time_scale.px_per_day  # two weeks: past any snapping
    left, no = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mods = Qt.KeyboardModifier.NoModifier
    times = []
    try:
        for i in range(drags):
            cid = cards[(i * 7) % len(cards)]
            r = timeline.card_rect(cid)
            if r.isEmpty():
                continue
            before = check.execute(_START_SQL, (window.roadmap.plan_id, cid)).fetchone()[0]
            start = QPointF(r.center())
            dx = px_week if i % 2 == 0 else -px_week

            def send(kind: QEvent.Type, pos: QPointF, button: Any, buttons: Any) -> None:
                g = QPointF(viewport.mapToGlobal(pos.toPoint()))
                QApplication.sendEvent(viewport, QMouseEvent(kind, pos, g, button, buttons, mods))

            send(QEvent.Type.MouseButtonPress, start, left, left)
            for step in (0.25, 0.5, 1.0):
                send(QEvent.Type.MouseMove, start + QPointF(dx * step, 0), no, left)
            end = start + QPointF(dx, 0)
            t0 = time.perf_counter()
            send(QEvent.Type.MouseButtonRelease, end, left, no)
            elapsed = _ms(t0)
            after = check.execute(_START_SQL, (window.roadmap.plan_id, cid)).fetchone()[0]
            if after == before:
                raise RuntimeError(f"the drag of card {cid} did not reach the file")
            dt.date.fromisoformat(after)
            times.append(elapsed)
            app.processEvents()
    finally:
        check.close()
    return times


def commit_floor(folder: Path, repeat: int = 30) -> float:
    """Median ms of a bare one-row SQLite commit with the app's journal and sync settings.

    The disk's flush time: no drag commit can be faster than this on the same machine.
    """
    import sqlite3

    path = folder / "commit-floor.db"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        conn.execute("INSERT INTO t VALUES (1, '')")
        times = []
        for i in range(repeat):
            t0 = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("UPDATE t SET v = ? WHERE id = 1", (str(i),))
            conn.execute("COMMIT")
            times.append(_ms(t0))
    finally:
        conn.close()
        path.unlink()
    return statistics.median(times)


def undo_move(window: Any, cards: int = 1000, repeat: int = 3) -> float:
    """Median ms to undo a move of ``cards`` cards, the timeline's update and repaint included."""
    import datetime as dt

    from planner import dates
    from ui import commands

    app = application()
    timeline = window.timeline
    roadmap = window.roadmap
    ids = [c.id for c in roadmap.cards() if c.scheduled][:cards]
    current = roadmap.cards_by_id(ids)
    times = []
    for i in range(repeat):
        shift = 7 if i % 2 == 0 else -7
        moves: dict[int, tuple[dt.date | None, dt.date | None, int | None]] = {}
        for cid in ids:
            c = current[cid]
            assert c.start is not None and c.end is not None
            moves[cid] = (dates.add_days(c.start, shift), dates.add_days(c.end, shift), None)
        commands.run(window.undo_stack, commands.MoveCards(roadmap, moves))
        app.processEvents()
        t0 = time.perf_counter()
        window.undo_stack.undo()
        _frame(timeline)
        times.append(_ms(t0))
        app.processEvents()
    return statistics.median(times)


def run(path: Path, repeat: int = 3, frames: int = 100, drags: int = 20,
        undo_cards: int = 1000) -> dict[str, float]:  # fmt: skip
    """Every in-process figure for the roadmap at ``path`` (a copy that may be edited)."""
    application()
    figures: dict[str, float] = {"open_ms": open_file(path, repeat),
                                 "commit_floor_ms": commit_floor(path.parent)}
    paints = []
    window = None
    for i in range(repeat):
        window, ms = open_window(path)
        paints.append(ms)
        if i < repeat - 1:
            close_window(window)
    assert window is not None
    figures["first_paint_ms"] = statistics.median(paints)
    try:
        timeline = window.timeline
        vp = timeline.viewport()
        figures["viewport_w"], figures["viewport_h"] = float(vp.width()), float(vp.height())
        settle(0.5)  # as a window is a moment after it opened, its idle work done
        _frame(timeline)
        figures["pan_ms"], figures["pan_p95_ms"] = median_p95(pan_frames(timeline, frames))
        figures["zoom_ms"], figures["zoom_p95_ms"] = median_p95(zoom_frames(timeline, frames))
        timeline.zoom_to("months")
        timeline.go_to_today()
        application().processEvents()
        figures["drag_ms"] = statistics.median(drag_commits(window, drags))
        n = min(undo_cards, window.roadmap.card_count())
        figures["undo_cards"] = float(n)
        figures["undo_ms"] = undo_move(window, n)
    finally:
        close_window(window)
    return figures


def main(argv: list[str] | None = None) -> int:
    import argparse
    import json

    from bench.generate import fresh_copy

    parser = argparse.ArgumentParser(prog="python -m bench.bench_timeline", description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--lanes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frames", type=int, default=100)
    parser.add_argument("--drags", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = fresh_copy(args.cards, args.lanes, Path(tmp))
        figures = run(path, args.repeat, args.frames, args.drags)
    if args.json:
        print(json.dumps(figures), flush=True)
    else:
        for key, value in figures.items():
            print(f"{key:16s} {value:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
